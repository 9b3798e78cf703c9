import { Controller, Get, Inject, Logger, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Public } from '../auth/roles.decorator';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CLOCK, Clock } from '../shared/clock';
import { YearMonth } from '../shared/year-month';
import { CONTENT_TYPES, findPublicDir, listAssets, vendorFiles } from './dashboard-assets';

/**
 * Strict enough for helmet's defaults and stricter: scripts, styles and data only from this origin, no
 * inline code, no eval, no framing. The page is built to run under it (no inline style or script).
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const rupiah = (amount: number) => `Rp${new Intl.NumberFormat('id-ID').format(amount)}`;

/**
 * GET /dashboard: the leadership and analyst dashboard (api.md, "Dashboard"). The page needs no key; the
 * figures it shows come from the aggregate endpoints, with an analyst key or ASUH_PUBLIC_STATS.
 */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  private readonly logger = new Logger(DashboardController.name);
  /** Null when the page's files are missing from this installation: the API serves on without them. */
  private readonly files: { template: string; assets: Map<string, string>; vendor: Map<string, string> } | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.files = this.load();
  }

  private load() {
    try {
      const dir = findPublicDir();
      const vendor = vendorFiles();
      for (const [name, path] of vendor) if (!existsSync(path)) throw new Error(`vendor file ${name} is missing at ${path}`);
      return { template: readFileSync(join(dir, 'index.html'), 'utf8'), assets: listAssets(dir), vendor };
    } catch (error) {
      this.logger.error(`The dashboard is not available: ${(error as Error).message}`);
      return null;
    }
  }

  @Get()
  page(@Res() res: Response): void {
    const { template } = this.installed();
    res.set({ ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES['.html'] }).send(this.render(template));
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    this.sendFrom(this.installed().assets, file, res);
  }

  @Get('vendor/:file')
  vendorFile(@Param('file') file: string, @Res() res: Response): void {
    this.sendFrom(this.installed().vendor, file, res);
  }

  private installed() {
    if (!this.files) throw new NotFoundException('The dashboard is not installed with this service (see the start log)');
    return this.files;
  }

  /** The page with the policy values it explains (due day, arrears window, this month's premium). */
  private render(template: string): string {
    const { policy } = this.config;
    const month = YearMonth.ofDate(this.clock.today());
    // Tariffs are dated (domain.md): the page states the one in force this month.
    const tariff = [...policy.tariffs].sort((a, b) => b.from.localeCompare(a.from)).find((t) => !YearMonth.parse(t.from).isAfter(month));
    const values: Record<string, string> = {
      PUBLIC_STATS: String(this.config.publicStats),
      DUE_DAY: String(policy.dueDay),
      ARREARS_WINDOW: String(policy.arrearsWindowMonths),
      PREMIUM: tariff ? rupiah(tariff.jkk + tariff.jkm) : '–',
      JKK: tariff ? rupiah(tariff.jkk) : '–',
      JKM: tariff ? rupiah(tariff.jkm) : '–',
    };
    return template.replace(/\{\{([A-Z_]+)\}\}/g, (token, name: string) => (name in values ? escapeHtml(values[name]) : token));
  }

  private sendFrom(files: Map<string, string>, name: string, res: Response): void {
    const path = files.get(name);
    if (!path) throw new NotFoundException(`The dashboard has no file ${name}`);
    res.sendFile(path, { headers: { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[extname(name)] }, dotfiles: 'deny' });
  }
}

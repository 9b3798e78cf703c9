import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { READ_MODEL_ENTITIES, READ_MODEL_MIGRATIONS, READ_MODEL_MIGRATIONS_TABLE } from '../../projections/data-source';

/** TypeORM connection of the read models. Migrations run at start (under a lock), never synchronize. */
export function readModelDataSourceOptions(url: string): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url,
    entities: READ_MODEL_ENTITIES,
    migrations: READ_MODEL_MIGRATIONS,
    migrationsTableName: READ_MODEL_MIGRATIONS_TABLE,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { max: 20, application_name: 'asuh-api' },
  };
}

import { Type } from '@nestjs/common';

/** The product's feature modules, mounted by AppModule. */
export const FEATURE_MODULES: Type<unknown>[] = [];

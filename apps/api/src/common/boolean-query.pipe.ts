import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { validationFailed } from './validation-error.js';

/**
 * A boolean query parameter: `true` or `false` exactly, false when absent. Anything else
 * (`1`, `yes`, an empty value, the parameter given twice) is a 400 naming it, rather than a
 * guess that could force what the client did not mean to.
 */
export class BooleanQueryPipe implements PipeTransform<unknown, boolean> {
  transform(value: unknown, metadata: ArgumentMetadata): boolean {
    if (value === undefined) return false;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw validationFailed([{ field: metadata.data ?? 'query', message: 'must be true or false' }]);
  }
}

/**
 * `@taskforge/core/internal`: NOT public API. What taskforge's own scripts (bench, chaos, soak)
 * need from core beyond its public API, and that is core's rather than the scripts' to keep:
 * core's embedded PostgreSQL picks its port with anyFreePort, and configSchema is the one
 * definition of every environment variable (the soak checks its flags against it). It may change
 * in any release; it is not documented, and nothing outside this repository should import it.
 */
export { anyFreePort } from './embedded/ports.js';
export { configSchema } from './config/config-schema.js';

export { installTrino, type TrinoInstallation } from './installTrino';
export { queryTrino, type TrinoResult, type TrinoSession } from './queryTrino';
export {
  type StartTrinoServerOptions,
  startTrinoServer,
  TRINO_HIVE_CATALOG,
  type TrinoServer,
} from './startTrinoServer';

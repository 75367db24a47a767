// node --import tsx --import ./recordModuleLoads.mjs …: records every module the process resolves (see moduleLoadHooks.mjs).
import { register } from 'node:module';

register('./moduleLoadHooks.mjs', import.meta.url);

// The CDK app: `pnpm synth` / `pnpm run deploy` from the repository root (see docs/deploy.md).
import { App } from 'aws-cdk-lib';
import { readAppSettings } from './appSettings';
import { buildCentralApp } from './buildCentralApp';

const app = new App({ analyticsReporting: false });
const settings = readAppSettings((key) => app.node.tryGetContext(key), {
  region: process.env.CDK_DEFAULT_REGION,
  account: process.env.CDK_DEFAULT_ACCOUNT,
});
buildCentralApp(app, settings);
app.synth();

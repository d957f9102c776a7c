/** CDK entry (`"app"` in cdk.json): `npx cdk synth`, `npx cdk deploy -c pmif:sesIdentity=…`. */
import { App } from 'aws-cdk-lib';
import { buildReportingApp } from './reporting-app';

buildReportingApp(new App());

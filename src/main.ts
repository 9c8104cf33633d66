import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp, NEST_APP_OPTIONS } from './app.setup';
import { AppConfigService } from './config/app-config.service';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, NEST_APP_OPTIONS);
  await configureApp(app);
  app.enableShutdownHooks();
  await app.listen(app.get(AppConfigService).get('PORT'));
}

bootstrap().catch((error: unknown) => {
  // Configuration and database errors end here: say what is wrong and stop.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { Module } from '@nestjs/common';
import { HomeNotices } from './home-notices';
import { HomeController } from './home.controller';

@Module({ controllers: [HomeController], providers: [HomeNotices], exports: [HomeNotices] })
export class HomeModule {}

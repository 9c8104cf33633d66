import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AgentsService } from '../agents/agents.service';
import { Public, Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Clock } from '../common/time/clock';
import { calendarFeedUrl } from '../agents/calendar-feed-url';
import { CalendarFeedService } from './calendar-feed.service';

/** `<token>.ics`: the extension is part of the URL that calendar apps are given. */
const FEED_FILE = /^(.+)\.ics$/;

/**
 * The agent's calendar feed, read by phone calendars with no login: the secret URL is the
 * credential. Every failure is the same plain 404, so the answer says nothing about
 * whether a token ever existed, was revoked or belongs to a deactivated agent.
 */
@ApiTags('calendar')
@Controller('calendar')
export class CalendarFeedController {
  constructor(
    private readonly feeds: CalendarFeedService,
    private readonly clock: Clock,
  ) {}

  @Public()
  @Get(':file')
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: "the agent's appointments as iCalendar (RFC 5545)" })
  @ApiNotFoundResponse({ description: 'unknown or revoked link, or a deactivated agent' })
  async feed(
    @Param('file') file: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    // Phone calendars poll without cookies: dropping the request's fresh session (the
    // layout has put a CSRF token in it) keeps each poll from storing a session row.
    delete (req as { session?: unknown }).session;
    const token = FEED_FILE.exec(file)?.[1];
    const body = token ? await this.feeds.feed(token, this.clock.now()) : null;
    // Never in a search engine's index, whatever the answer.
    res.setHeader('X-Robots-Tag', 'noindex');
    if (body === null) {
      res.status(404).type('text/plain; charset=utf-8').send('Not found\n');
      return;
    }
    // Personal data, so never in a shared cache; calendar apps poll every few minutes.
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.status(200).type('text/calendar; charset=utf-8').send(body);
  }
}

/** Issuing and revoking an agent's feed URL (admins only; the agent's page does the same). */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('api/v1/agents')
export class AgentCalendarApiController {
  constructor(private readonly agents: AgentsService) {}

  /** A new secret URL; the previous one stops working at once. */
  @Post(':id/calendar-token')
  @Roles('admin')
  @ApiCreatedResponse({ description: '{url}: the absolute feed URL to subscribe to' })
  async issue(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
  ): Promise<{ url: string }> {
    const { token } = await this.agents.issueCalendarToken(id);
    return { url: calendarFeedUrl(req, token) };
  }

  @Delete(':id/calendar-token')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'revoked (also when none was issued)' })
  async revoke(@Param('id', new IdParamPipe()) id: number): Promise<void> {
    await this.agents.revokeCalendarToken(id);
  }
}

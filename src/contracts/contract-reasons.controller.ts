import { Body, Controller, Get, Param, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../common/access/access.decorators';
import { FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { FormState } from '../common/http/request-context';
import { ContractReasonsService } from './contract-reasons.service';
import { ContractReasonInput } from './dto/contract-reason-input';

const LIST = '/contract-reasons';

/** The admins' page of contract reasons (`/contract-reasons`): list, add, (de)activate. */
@ApiExcludeController()
@Roles('admin')
@Controller('contract-reasons')
export class ContractReasonsController {
  constructor(private readonly reasons: ContractReasonsService) {}

  @Get()
  @Render('contract-reasons/index')
  async index(@Res({ passthrough: true }) res: Response) {
    const form = res.locals.form as FormState | undefined;
    return {
      title: 'contractReasons.title',
      reasons: await this.reasons.all(),
      typed: { code: form?.values.code ?? '', label: form?.values.label ?? '' },
    };
  }

  @Post()
  @FormPage()
  async create(@Body() form: ContractReasonInput): Promise<PageRedirect> {
    const reason = await this.reasons.create(form);
    return savedTo(LIST, 'contractReasons.created', { code: reason.code });
  }

  @Post(':id/activate')
  @FormPage()
  async activate(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const reason = await this.reasons.update(id, { active: true });
    return savedTo(LIST, 'contractReasons.activated', { code: reason.code });
  }

  @Post(':id/deactivate')
  @FormPage()
  async deactivate(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const reason = await this.reasons.update(id, { active: false });
    return savedTo(LIST, 'contractReasons.deactivated', { code: reason.code });
  }
}

import { api } from '@jingzhun/contracts';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { jurisdictionPrefix } from '@jingzhun/domain';
import { Answers, CurrentUser, Roles, type AuthUser } from '@jingzhun/platform';
import { PolicyService } from '../procedures/policy.service';
import { FollowUpCoverage } from './follow-up-coverage';

@ApiTags('follow-up')
@ApiBearerAuth()
@Controller('follow-ups')
export class CoverageController {
  constructor(
    private readonly coverage: FollowUpCoverage,
    private readonly policy: PolicyService,
  ) {}

  /** 回访覆盖: in the caller's jurisdiction, the households that need a follow-up, the follow-ups running, the transition window, and the registry's last sweep. */
  @Get('coverage')
  @Roles('township', 'county', 'admin')
  @Answers(api.followUpCoverageSchema)
  async status(@CurrentUser() user: AuthUser) {
    const now = new Date();
    const s = await this.coverage.status(jurisdictionPrefix(user.regionCode));
    const w = await this.policy.transitionWindow(user.regionCode, now);
    return {
      regionCode: user.regionCode,
      ...s,
      transition: { from: w.from, until: w.until, open: w.startsAt <= now && now < w.endsAt },
    };
  }
}

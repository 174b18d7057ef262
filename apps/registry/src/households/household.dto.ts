import { createZodDto } from 'nestjs-zod';
import {
  assessmentInputSchema,
  helperAssignSchema,
  householdCreateSchema,
  memberAdditionSchema,
  householdListQuerySchema,
  householdUpdateSchema,
  measureInputSchema,
} from '@jingzhun/domain';

export class HouseholdCreateDto extends createZodDto(householdCreateSchema) {}
export class HouseholdUpdateDto extends createZodDto(householdUpdateSchema) {}
export class MemberInputDto extends createZodDto(memberAdditionSchema) {}
export class AssessmentInputDto extends createZodDto(assessmentInputSchema) {}
export class MeasureInputDto extends createZodDto(measureInputSchema) {}
export class HelperAssignDto extends createZodDto(helperAssignSchema) {}
export class HouseholdListQueryDto extends createZodDto(householdListQuerySchema) {}

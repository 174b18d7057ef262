import { createZodDto } from 'nestjs-zod';
import {
  caseListQuerySchema,
  caseStartSchema,
  decisionSchema,
  evidenceQuerySchema,
  noticeListQuerySchema,
  preflightQuerySchema,
  objectionSchema,
  taskListQuerySchema,
} from './procedure.schemas';

export class CaseStartDto extends createZodDto(caseStartSchema) {}
export class CaseListQueryDto extends createZodDto(caseListQuerySchema) {}
export class DecisionDto extends createZodDto(decisionSchema) {}
export class TaskListQueryDto extends createZodDto(taskListQuerySchema) {}
export class NoticeListQueryDto extends createZodDto(noticeListQuerySchema) {}
export class ObjectionDto extends createZodDto(objectionSchema) {}
export class EvidenceQueryDto extends createZodDto(evidenceQuerySchema) {}
export class PreflightQueryDto extends createZodDto(preflightQuerySchema) {}

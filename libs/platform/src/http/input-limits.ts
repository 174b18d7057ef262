import { CommonError } from '@jingzhun/contracts';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { BaseConfig } from '../config/config.schema';
import { DomainException } from '../errors/domain-exception';
import { CONFIG } from '../tokens';

export interface InputProblem {
  path: string;
  message: string;
}

/**
 * The first thing in a request's input no route may receive: a NUL character (PostgreSQL refuses
 * it in text) or nesting deeper than `maxDepth` (Temporal cannot serialize 10 000 levels). Walked
 * with an explicit stack, so a deep document cannot overflow ours.
 */
export function inputProblem(value: unknown, root: string, maxDepth: number): InputProblem | null {
  const stack: [unknown, string, number][] = [[value, root, 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { path, message: '不能包含空字符 (NUL)' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth > maxDepth) return { path, message: `嵌套层级超过 ${maxDepth} 层` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}.${i}`, depth + 1]);
      continue;
    }
    for (const key of Object.keys(v)) {
      if (key.includes('\u0000'))
        // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this check refuses
        return { path: `${path}.${key.replace(/\u0000/g, '\\0')}`, message: '字段名不能包含空字符 (NUL)' };
      stack.push([(v as Record<string, unknown>)[key], `${path}.${key}`, depth + 1]);
    }
  }
  return null;
}

const strip = (path: string) => path.replace(/^(body|query|params)\./, '');

/** One global rule for every route: its body, query and path parameters (a 400 naming the field). */
@Injectable()
export class InputLimitsGuard implements CanActivate {
  constructor(@Inject(CONFIG) private readonly config: BaseConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    const req = ctx
      .switchToHttp()
      .getRequest<{ body?: unknown; query?: unknown; params?: unknown; headers: Record<string, unknown> }>();
    for (const part of ['params', 'query', 'body'] as const) {
      // Levels below the part itself; query strings (qs) nest too (a[b][c]=…).
      const problem = inputProblem(req[part], part, this.config.JSON_MAX_DEPTH);
      if (problem) {
        const field = strip(problem.path) || part;
        throw new DomainException(400, CommonError.ValidationFailed, `${field}: ${problem.message}`, {
          issues: [{ path: field, message: problem.message }],
        });
      }
    }
    return true;
  }
}

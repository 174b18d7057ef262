import { composeIdNumber } from '@jingzhun/domain';
import type { Random } from './random';

export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
export const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰红梅建国建华志强春梅海燕文杰永强德明国庆金凤淑珍桂芳'.split(
    '',
  );

export function personName(rnd: Random, surname?: string) {
  return (surname ?? rnd.pick(SURNAMES)) + rnd.pick(GIVEN) + (rnd.chance(0.6) ? rnd.pick(GIVEN) : '');
}

/** A household member of the demo: the relation, birth year and surname the household gave it. */
export interface DemoPerson {
  relation: string;
  birthYear: number;
  surname: string;
}

/**
 * One member's row of the import sheet: a valid, unique ID number in the village's county whose sex
 * digit agrees with the relation, and the health, labour, schooling and insurance fitting the age.
 */
export function demoMember(rnd: Random, villageCode: string, p: DemoPerson, used: Set<string>): Record<string, string> {
  let id: string;
  for (;;) {
    const birth = new Date(Date.UTC(p.birthYear, rnd.int(0, 11), rnd.int(1, 28)));
    const seq = rnd.int(0, 999);
    id = composeIdNumber(villageCode.slice(0, 6), birth, seq);
    if (
      p.relation === 'SPOUSE' ||
      p.relation === 'MOTHER' ||
      p.relation === 'DAUGHTER' ||
      p.relation === 'GRANDDAUGHTER'
    ) {
      if (Number(id[16]) % 2 === 1) continue; // female: even sequence digit
    } else if (p.relation === 'HEAD' || p.relation === 'SON' || p.relation === 'FATHER' || p.relation === 'GRANDSON') {
      if (Number(id[16]) % 2 === 0) continue;
    }
    if (!used.has(id)) break;
  }
  used.add(id);
  const age = 2026 - p.birthYear;
  const health = rnd.weighted({ HEALTHY: 70, CHRONIC: 18, SERIOUS: 6, DISABLED: 6 });
  const row: Record<string, string> = {
    name: personName(rnd, p.surname),
    idNumber: id,
    relation: p.relation,
    health,
    labourCapacity:
      age < 16 || age > 70
        ? 'NOT_LABOUR'
        : health === 'HEALTHY'
          ? rnd.weighted({ NORMAL: 80, SKILLED: 20 })
          : rnd.weighted({ WEAK: 60, NONE: 40 }),
    education:
      age < 6 ? 'PRESCHOOL' : rnd.weighted({ ILLITERATE: 10, PRIMARY: 35, JUNIOR: 40, SENIOR: 12, COLLEGE: 3 }),
    schooling: age >= 6 && age <= 18 ? (age <= 12 ? 'PRIMARY' : age <= 15 ? 'JUNIOR' : 'SENIOR') : 'NONE',
    medicalInsurance: '是',
    pensionInsurance: age >= 16 ? (rnd.chance(0.9) ? '是' : '否') : '否',
  };
  return row;
}

import { seededRandom, type Random } from './random';
import { demoMember, personName, SURNAMES } from './demo-people';

/**
 * The demo: two counties (one in a western province), 5 townships each, 10 villages per
 * township, households spread evenly, ~3.5 members each, valid ID numbers, a plausible mix of
 * statuses. Deterministic: the same `households` gives the same data everywhere.
 */
export interface DemoRegion {
  code: string;
  name: string;
  level: 'PROVINCE' | 'CITY' | 'COUNTY' | 'TOWNSHIP' | 'VILLAGE';
  parentCode: string | null;
  western: boolean;
  ruralPopulation: number;
  designatedSince?: number | null;
  exitYear?: number | null;
}

export interface DemoUser {
  id: string;
  name: string;
  role: 'village' | 'helper' | 'township' | 'county' | 'admin' | 'department';
  regionCode: string;
  phone: string | null;
}

const TOWNSHIP_NAMES = ['城关镇', '青石镇', '柳河乡', '白云乡', '龙泉镇'];
const VILLAGE_NAMES = [
  '东坪村',
  '西沟村',
  '南岭村',
  '北山村',
  '上河村',
  '下湾村',
  '中寨村',
  '杨柳村',
  '石门村',
  '桃园村',
];

const COUNTIES = [
  {
    province: ['410000000000', '河南省'],
    city: ['411500000000', '信阳市'],
    county: ['411599000000', '东岭县(演示)'],
    western: false,
  },
  {
    province: ['520000000000', '贵州省'],
    city: ['522600000000', '黔东南州'],
    county: ['522699000000', '西岭县(演示)'],
    western: true,
  },
] as const;

const DEPARTMENTS = [
  ['medical', '医保局'],
  ['civil', '民政局'],
  ['emergency', '应急管理局'],
  ['hrss', '人社局'],
  ['education', '教育局'],
  ['housing', '住建局'],
] as const;

export function demoRegions(): DemoRegion[] {
  const rnd = seededRandom(7);
  const out: DemoRegion[] = [];
  for (const c of COUNTIES) {
    out.push({
      code: c.province[0],
      name: c.province[1],
      level: 'PROVINCE',
      parentCode: null,
      western: c.western,
      ruralPopulation: 0,
    });
    out.push({
      code: c.city[0],
      name: c.city[1],
      level: 'CITY',
      parentCode: c.province[0],
      western: c.western,
      ruralPopulation: 0,
    });
    out.push({
      code: c.county[0],
      name: c.county[1],
      level: 'COUNTY',
      parentCode: c.city[0],
      western: c.western,
      ruralPopulation: 0,
    });
    TOWNSHIP_NAMES.forEach((tName, t) => {
      const tCode = `${c.county[0].slice(0, 6) + String(t + 1).padStart(3, '0')}000`;
      out.push({
        code: tCode,
        name: tName,
        level: 'TOWNSHIP',
        parentCode: c.county[0],
        western: c.western,
        ruralPopulation: 0,
      });
      VILLAGE_NAMES.forEach((vName, v) => {
        out.push({
          code: tCode.slice(0, 9) + String(v + 1).padStart(3, '0'),
          name: vName,
          level: 'VILLAGE',
          parentCode: tCode,
          western: c.western,
          ruralPopulation: rnd.int(1800, 4200),
          // Every third village is a designated 贫困村 (2014 建档立卡), half of those already exited as villages in 2019.
          designatedSince: v % 3 === 0 ? 2014 : null,
          exitYear: v % 6 === 0 ? 2019 : null,
        });
      });
    });
  }
  return out;
}

function phone(rnd: Random) {
  return `1${rnd.pick(['3', '5', '7', '8'])}${String(rnd.int(100000000, 999999999))}`;
}

export function demoUsers(regions: DemoRegion[]): DemoUser[] {
  const rnd = seededRandom(11);
  const users: DemoUser[] = [
    { id: 'admin', name: '系统管理员', role: 'admin', regionCode: '000000000000', phone: null },
  ];
  for (const r of regions) {
    if (r.level === 'COUNTY') {
      users.push({
        id: `county-${r.code.slice(0, 6)}`,
        name: `${personName(rnd)}(县乡村振兴局)`,
        role: 'county',
        regionCode: r.code,
        phone: phone(rnd),
      });
      for (const [key, name] of DEPARTMENTS)
        users.push({
          id: `dept-${key}-${r.code.slice(0, 6)}`,
          name: `${r.name}${name}数据接口`,
          role: 'department',
          regionCode: r.code,
          phone: null,
        });
    }
    if (r.level === 'TOWNSHIP')
      users.push({
        id: `township-${r.code.slice(0, 9)}`,
        name: `${personName(rnd)}(${r.name})`,
        role: 'township',
        regionCode: r.code,
        phone: phone(rnd),
      });
    if (r.level === 'VILLAGE') {
      users.push({
        id: `village-${r.code}`,
        name: `${personName(rnd)}(${r.name}村支书)`,
        role: 'village',
        regionCode: r.code,
        phone: phone(rnd),
      });
      for (let i = 1; i <= 3; i++)
        users.push({
          id: `helper-${r.code}-${i}`,
          name: `${personName(rnd)}(帮扶责任人)`,
          role: 'helper',
          regionCode: r.code,
          phone: phone(rnd),
        });
    }
  }
  return users;
}

export interface DemoHouseholdRow {
  values: Record<string, string>;
}

const STATUS_WEIGHTS = { EXITED: 78, POOR: 9, MONITORED: 9, APPLICANT: 4 } as const;
const CAUSE_WEIGHTS = {
  ILLNESS: 30,
  DISABILITY: 12,
  SCHOOLING: 8,
  DISASTER: 4,
  LACK_OF_LAND: 4,
  LACK_OF_WATER: 2,
  LACK_OF_SKILLS: 12,
  LACK_OF_LABOUR: 10,
  LACK_OF_FUNDS: 10,
  POOR_TRANSPORT: 3,
  LACK_OF_MOTIVATION: 3,
  OTHER: 2,
} as const;

/**
 * Rows in the import layout (one per person, head first), spread evenly over the villages.
 * Villages get different shares of POOR households so that incidence varies around 2%.
 */
export function* demoHouseholdRows(villages: DemoRegion[], households: number): Generator<Record<string, string>> {
  const rnd = seededRandom(2024);
  const used = new Set<string>();
  for (let i = 0; i < households; i++) {
    const village = villages[i % villages.length];
    const villageIndex = i % villages.length;
    const poorBoost = (villageIndex % 5) * 2; // 0..8 extra weight on POOR: some villages above the exit threshold
    const status = rnd.weighted({ ...STATUS_WEIGHTS, POOR: STATUS_WEIGHTS.POOR + poorBoost });
    const mainCause = rnd.weighted(CAUSE_WEIGHTS);
    const size = rnd.weighted({ 1: 8, 2: 15, 3: 22, 4: 27, 5: 17, 6: 8, 7: 3 } as Record<string, number>);
    const surname = rnd.pick(SURNAMES);
    const identifiedYear = rnd.int(2014, 2019);
    const exitYear = Math.min(2020, identifiedYear + rnd.int(1, 4));
    const headBirthYear = rnd.int(1940, 1985);
    const people: { relation: string; birthYear: number; sex?: 'MALE' | 'FEMALE'; surname: string }[] = [
      { relation: 'HEAD', birthYear: headBirthYear, surname },
    ];
    if (Number(size) >= 2)
      people.push({ relation: 'SPOUSE', birthYear: headBirthYear + rnd.int(-3, 5), surname: rnd.pick(SURNAMES) });
    for (let k = people.length; k < Number(size); k++) {
      const roll = rnd.next();
      if (roll < 0.65)
        people.push({
          relation: rnd.chance(0.5) ? 'SON' : 'DAUGHTER',
          birthYear: Math.min(2022, headBirthYear + rnd.int(20, 35)),
          surname,
        });
      else if (roll < 0.85)
        people.push({
          relation: rnd.chance(0.5) ? 'GRANDSON' : 'GRANDDAUGHTER',
          birthYear: Math.min(2023, headBirthYear + rnd.int(42, 60)),
          surname,
        });
      else
        people.push({
          relation: rnd.chance(0.5) ? 'FATHER' : 'MOTHER',
          birthYear: Math.max(1925, headBirthYear - rnd.int(22, 32)),
          surname,
        });
    }
    for (let k = 0; k < people.length; k++) {
      const p = people[k];
      const row = demoMember(rnd, village.code, p, used);
      if (k === 0) {
        const monitoredExited = status === 'MONITORED' && rnd.chance(0.45);
        Object.assign(row, {
          villageCode: village.code,
          attribute: rnd.weighted({ GENERAL: 70, LOW_INCOME: 15, FIVE_GUARANTEES: 5, LOW_INCOME_POOR: 10 }),
          mainCause,
          status,
          identifiedYear: status === 'POOR' || status === 'EXITED' || monitoredExited ? String(identifiedYear) : '',
          exitYear: status === 'EXITED' || monitoredExited ? String(exitYear) : '',
          monitoringType:
            status !== 'MONITORED'
              ? ''
              : monitoredExited
                ? 'UNSTABLE_EXITED'
                : rnd.weighted({ MARGINAL: 75, SUDDEN_HARDSHIP: 25 }),
          // 纳入监测时间 of the national form: 2021 onwards (the 防返贫 mechanism's start).
          monitoredSince:
            status !== 'MONITORED'
              ? ''
              : `${rnd.int(2021, 2025)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
          address: `${village.name}${rnd.int(1, 12)}组${rnd.int(1, 80)}号`,
        });
      }
      for (const key of Object.keys(row)) if (row[key] === '') delete row[key];
      yield row;
    }
  }
}

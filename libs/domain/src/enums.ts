/** Enumerations of the registry with the Chinese labels of the national registration form. */
function labelled<const T extends Record<string, string>>(labels: T) {
  const codes = Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]];
  const byLabel = new Map(Object.entries(labels).map(([code, label]) => [label, code as keyof T & string]));
  return {
    codes,
    labels,
    /** Accepts a code or its Chinese label (imports use labels). */
    parse(value: string): (keyof T & string) | undefined {
      const v = value.trim();
      if (v in labels) return v as keyof T & string;
      return byLabel.get(v);
    },
  };
}

export const Role = labelled({
  village: '村两委/驻村工作队',
  helper: '帮扶责任人',
  township: '乡镇',
  county: '县乡村振兴局',
  admin: '系统管理员',
  department: '行业部门数据接口',
});
export type Role = (typeof Role.codes)[number];

export const HouseholdStatus = labelled({
  APPLICANT: '申请中',
  POOR: '未脱贫',
  EXITED: '已脱贫',
  MONITORED: '监测对象',
  CLOSED: '已销户',
  REMOVED: '已清退',
});
export type HouseholdStatus = (typeof HouseholdStatus.codes)[number];

export const HouseholdAttribute = labelled({
  GENERAL: '一般贫困户',
  LOW_INCOME: '低保户',
  FIVE_GUARANTEES: '特困供养户',
  LOW_INCOME_POOR: '低保贫困户',
});
export type HouseholdAttribute = (typeof HouseholdAttribute.codes)[number];

/** The 12 causes of poverty of the registration form. */
export const PovertyCause = labelled({
  ILLNESS: '因病',
  DISABILITY: '因残',
  SCHOOLING: '因学',
  DISASTER: '因灾',
  LACK_OF_LAND: '缺土地',
  LACK_OF_WATER: '缺水',
  LACK_OF_SKILLS: '缺技术',
  LACK_OF_LABOUR: '缺劳力',
  LACK_OF_FUNDS: '缺资金',
  POOR_TRANSPORT: '交通条件落后',
  LACK_OF_MOTIVATION: '自身发展动力不足',
  OTHER: '其他',
});
export type PovertyCause = (typeof PovertyCause.codes)[number];

export const MonitoringType = labelled({
  UNSTABLE_EXITED: '脱贫不稳定户',
  MARGINAL: '边缘易致贫户',
  SUDDEN_HARDSHIP: '突发严重困难户',
});
export type MonitoringType = (typeof MonitoringType.codes)[number];

export const Relation = labelled({
  HEAD: '户主',
  SPOUSE: '配偶',
  SON: '之子',
  DAUGHTER: '之女',
  DAUGHTER_IN_LAW: '之儿媳',
  SON_IN_LAW: '之女婿',
  GRANDSON: '之孙子',
  GRANDDAUGHTER: '之孙女',
  FATHER: '之父',
  MOTHER: '之母',
  GRANDFATHER: '之祖父',
  GRANDMOTHER: '之祖母',
  SIBLING: '之兄弟姐妹',
  OTHER: '其他',
});
export type Relation = (typeof Relation.codes)[number];

export const Sex = labelled({ MALE: '男', FEMALE: '女' });
export type Sex = (typeof Sex.codes)[number];

export const Health = labelled({
  HEALTHY: '健康',
  CHRONIC: '长期慢性病',
  SERIOUS: '患有大病',
  DISABLED: '残疾',
});
export type Health = (typeof Health.codes)[number];

export const LabourCapacity = labelled({
  NORMAL: '普通劳动力',
  SKILLED: '技能劳动力',
  WEAK: '弱劳动力或半劳动力',
  NONE: '丧失劳动力',
  NOT_LABOUR: '无劳动力',
});
export type LabourCapacity = (typeof LabourCapacity.codes)[number];

export const WorkStatus = labelled({
  LOCAL: '乡镇内务工',
  COUNTY: '县内务工',
  PROVINCE: '省内县外务工',
  OUT_OF_PROVINCE: '省外务工',
  FARMING: '务农',
  NONE: '无',
});
export type WorkStatus = (typeof WorkStatus.codes)[number];

export const Education = labelled({
  ILLITERATE: '文盲或半文盲',
  PRIMARY: '小学',
  JUNIOR: '初中',
  SENIOR: '高中',
  COLLEGE: '大专及以上',
  PRESCHOOL: '学龄前儿童',
});
export type Education = (typeof Education.codes)[number];

export const Schooling = labelled({
  NONE: '非在校生',
  PRESCHOOL: '学前教育',
  PRIMARY: '小学',
  JUNIOR: '七年级至九年级',
  SENIOR: '高中',
  VOCATIONAL: '中职',
  HIGHER: '高职及以上',
  DROPPED_OUT: '辍学',
});
export type Schooling = (typeof Schooling.codes)[number];

export const MeasureKind = labelled({
  INDUSTRY: '产业扶持',
  EMPLOYMENT: '就业创业',
  EDUCATION: '教育扶贫',
  HEALTH: '健康扶贫',
  SOCIAL_SECURITY: '社会保障',
  HOUSING: '危房改造',
  WATER: '饮水安全',
  MICROCREDIT: '小额信贷',
  OTHER: '其他',
});
export type MeasureKind = (typeof MeasureKind.codes)[number];

/** 清退 (removal of a wrongly registered household): why it leaves the registry. */
export const RemovalReason = labelled({
  WRONGLY_IDENTIFIED: '错评 (不符合识别条件而被纳入)',
  WRONGLY_EXITED: '错退 (未达退出标准而被退出)',
  INELIGIBLE: '不符合条件',
  VOLUNTARY: '自愿退出',
  DEATH: '死亡销户',
});
export type RemovalReason = (typeof RemovalReason.codes)[number];

export const MemberLeaveReason = labelled({
  DEATH: '死亡',
  MARRIAGE: '婚出',
  SPLIT: '分户',
  MIGRATION: '迁出',
  CORRECTION: '错误数据更正',
});
export type MemberLeaveReason = (typeof MemberLeaveReason.codes)[number];

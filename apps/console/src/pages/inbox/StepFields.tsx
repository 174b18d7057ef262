import { Checkbox, DatePicker, Form, Input, InputNumber, Radio, Select } from 'antd';
import { BASIC_NEEDS, INCOME_NAMES, MonitoringType, recordOf, REVISIT_RISKS, type RecordName } from '@jingzhun/domain';

export const NEED_LABELS: Record<string, string> = {
  food: '不愁吃',
  clothing: '不愁穿',
  education: '义务教育有保障',
  medical: '基本医疗有保障',
  housing: '住房安全有保障',
  water: '饮水安全有保障',
};
export const RISK_LABELS: Record<string, string> = {
  income_drop: '收入骤减',
  illness: '因病',
  disability: '因残',
  disaster: '因灾',
  unemployment: '失业',
  school_dropout: '辍学',
  housing_danger: '住房安全隐患',
  other: '其他',
};

/** What the step's form collects besides the decision and the comment. */
export type StepKind =
  | 'appraisal'
  | 'verification'
  | 'home_check'
  | 'county_approval'
  | 'objection'
  | 'revisit'
  | 'removal'
  | 'opinion';

/** The form of a step: the record the procedure catalogue (libs/domain) names for it. */
const FORM_OF_RECORD: Record<RecordName, StepKind> = {
  opinion: 'opinion',
  member_verification: 'opinion',
  removal_verification: 'removal',
  data_comparison: 'opinion',
  appraisal: 'appraisal',
  verification: 'verification',
  exit_verification: 'verification',
  home_check: 'home_check',
  monitoring_home_check: 'home_check',
  monitoring_approval: 'county_approval',
  objection_verification: 'objection',
  revisit: 'revisit',
};

export function stepKind(kind: string, step: string): StepKind {
  return FORM_OF_RECORD[recordOf(kind, step)];
}

/** The decision buttons' words for the step (an objection's verification speaks of the objection). */
export function decisionWords(sk: StepKind): Record<'approve' | 'reject' | 'return', string> {
  if (sk === 'objection')
    return { approve: '异议不成立', reject: '异议成立·终止程序', return: '异议成立·退回重新评议' };
  if (sk === 'revisit') return { approve: '提交回访记录', reject: '', return: '' };
  return { approve: '通过', reject: '不通过', return: '退回重办' };
}

const yuan = { min: 0, max: 100_000_000, precision: 0, style: { width: '100%' }, addonAfter: '元' } as const;

export function StepFields({ sk, kind }: { sk: StepKind; kind: string }) {
  switch (sk) {
    case 'removal':
      return (
        <Form.Item
          name="findings"
          label="核实情况 (为何错评、错退或不符合条件)"
          rules={[{ required: true, min: 4, message: '请写明核实情况 (至少 4 个字)' }]}
        >
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      );
    case 'appraisal':
      return (
        <>
          <Form.Item
            name="appraisalDate"
            label="评议日期"
            rules={[
              { required: true, message: '请选择评议日期' },
              {
                validator: (_, d) =>
                  d?.isAfter(new Date(), 'day') ? Promise.reject(new Error('评议日期不能在将来')) : Promise.resolve(),
              },
            ]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(new Date(), 'day')} />
          </Form.Item>
          <Form.Item name="attendance" label="参会人数" rules={[{ required: true, message: '请填写参会人数' }]}>
            <InputNumber min={1} max={10000} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="votesFor"
            label="赞成票"
            dependencies={['attendance', 'votesAgainst']}
            rules={[
              { required: true, message: '请填写赞成票数' },
              // The same checks as the registry's record (libs/domain): said at the field before the request.
              ({ getFieldValue }) => ({
                validator: (_, v) => {
                  const attendance = Number(getFieldValue('attendance') ?? 0);
                  const against = Number(getFieldValue('votesAgainst') ?? 0);
                  if (v !== undefined && v !== null && attendance > 0 && Number(v) + against > attendance)
                    return Promise.reject(new Error(`赞成 ${v} 票与反对 ${against} 票之和超过参会人数 ${attendance}`));
                  return Promise.resolve();
                },
              }),
            ]}
          >
            <InputNumber min={0} max={10000} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="votesAgainst" label="反对票" initialValue={0}>
            <InputNumber min={0} max={10000} style={{ width: '100%' }} />
          </Form.Item>
        </>
      );
    case 'verification':
      return (
        <>
          <Form.Item label="入户核实的收入 (年)" style={{ marginBottom: 0 }}>
            {(['wageIncome', 'businessIncome', 'propertyIncome', 'transferIncome', 'productionCosts'] as const).map(
              (k) => (
                <Form.Item
                  key={k}
                  name={['assessment', k]}
                  label={INCOME_NAMES[k]}
                  initialValue={0}
                  rules={[{ required: true, message: '请填写' }]}
                >
                  <InputNumber {...yuan} />
                </Form.Item>
              ),
            )}
          </Form.Item>
          <Form.Item
            name={['assessment', 'needs']}
            label="两不愁三保障及饮水安全 (已保障的勾选)"
            initialValue={[...BASIC_NEEDS]}
          >
            <Checkbox.Group options={BASIC_NEEDS.map((n) => ({ value: n, label: NEED_LABELS[n] }))} />
          </Form.Item>
          {kind === 'exit' && (
            <Form.Item name="householdAgrees" valuePropName="checked" initialValue={false}>
              <Checkbox>农户已签字认可退出</Checkbox>
            </Form.Item>
          )}
        </>
      );
    case 'home_check':
      return kind === 'monitoring_inclusion' ? (
        <Form.Item name="authorisationSigned" valuePropName="checked" initialValue={false}>
          <Checkbox>农户已签署家庭经济状况信息核对授权书</Checkbox>
        </Form.Item>
      ) : null;
    case 'objection':
      return (
        <>
          <Form.Item
            name="finding"
            label="核实情况"
            rules={[{ required: true, whitespace: true, min: 2, message: '请填写异议核实情况' }]}
          >
            <Input.TextArea rows={3} maxLength={2000} placeholder="走访了谁、查阅了什么、异议是否属实" />
          </Form.Item>
          <Form.Item name="evidence" label="核实依据">
            <Input.TextArea rows={2} maxLength={2000} placeholder="如: 村民小组长证言、户籍材料" />
          </Form.Item>
        </>
      );
    case 'county_approval':
      return (
        <Form.Item name="monitoringType" label="监测类型" rules={[{ required: true, message: '请选择监测类型' }]}>
          <Select options={MonitoringType.codes.map((c) => ({ value: c, label: MonitoringType.labels[c] }))} />
        </Form.Item>
      );
    case 'revisit':
      return (
        <>
          <Form.Item name="incomeChange" label="收入变化" rules={[{ required: true, message: '请选择收入变化' }]}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'up', label: '增加' },
                { value: 'same', label: '持平' },
                { value: 'down', label: '减少' },
              ]}
            />
          </Form.Item>
          <Form.Item name="newRisks" label="新发现的风险" initialValue={[]}>
            <Checkbox.Group options={REVISIT_RISKS.map((r) => ({ value: r, label: RISK_LABELS[r] }))} />
          </Form.Item>
          <Form.Item name="needs" label="仍有保障的 (两不愁三保障及饮水安全)" initialValue={[...BASIC_NEEDS]}>
            <Checkbox.Group options={BASIC_NEEDS.map((n) => ({ value: n, label: NEED_LABELS[n] }))} />
          </Form.Item>
        </>
      );
    default:
      return null;
  }
}

/** The form's values → the decision's `data`, in the shape the workflow and the API read. */
export function stepData(sk: StepKind, v: Record<string, unknown>): Record<string, unknown> | undefined {
  const needs = (list: unknown) =>
    Object.fromEntries(BASIC_NEEDS.map((n) => [n, Array.isArray(list) && list.includes(n)]));
  switch (sk) {
    case 'appraisal':
      return {
        appraisalDate: v.appraisalDate
          ? (v.appraisalDate as { format(f: string): string }).format('YYYY-MM-DD')
          : undefined,
        attendance: v.attendance,
        votesFor: v.votesFor,
        votesAgainst: v.votesAgainst ?? 0,
      };
    case 'verification': {
      const a = (v.assessment ?? {}) as Record<string, unknown>;
      return { householdAgrees: v.householdAgrees === true, assessment: { ...a, needs: undefined, ...needs(a.needs) } };
    }
    case 'home_check':
      return { authorisationSigned: v.authorisationSigned === true };
    case 'county_approval':
      return { monitoringType: v.monitoringType };
    case 'objection':
      return { finding: v.finding, ...(v.evidence ? { evidence: v.evidence } : {}) };
    case 'removal':
      return { findings: v.findings };
    case 'revisit':
      return { incomeChange: v.incomeChange, newRisks: v.newRisks ?? [], needs: needs(v.needs), note: v.comment ?? '' };
    default:
      return undefined;
  }
}

import { Alert, Button, Checkbox, Collapse, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import type { ReactNode } from 'react';
import {
  Education,
  Health,
  INCOME_NAMES,
  MeasureKind,
  MemberLeaveReason,
  PLANNED_MEASURE_KINDS,
  Relation,
  RemovalReason,
  VERIFICATION_DOCUMENT_LABELS,
  WorkStatus,
} from '@jingzhun/domain';
import type { HouseholdDetail } from '../../api/views';

/* The door-to-door form's four sections (逐户核查): the fields only; VerifyPage holds the form, its summaries and the save. */

const opts = (e: { labels: Record<string, string> }) =>
  Object.entries(e.labels).map(([value, label]) => ({ value, label }));
// The registry's own labels (libs/domain), in the form's order.
export const INCOMES = Object.entries(INCOME_NAMES) as [keyof typeof INCOME_NAMES, string][];
export const NEEDS = [
  ['food', '不愁吃'],
  ['clothing', '不愁穿'],
  ['education', '义务教育有保障'],
  ['medical', '基本医疗有保障'],
  ['housing', '住房安全有保障'],
  ['water', '饮水安全有保障'],
] as const;

export /** One short section of the form: folded, it still holds its fields (they are validated and sent); its summary says what is in it. */
function Section({
  k,
  title,
  summary,
  open,
  toggle,
  children,
}: {
  k: string;
  title: string;
  summary: ReactNode;
  open: string[];
  toggle: (k: string) => void;
  children: ReactNode;
}) {
  return (
    <Collapse
      style={{ marginTop: 12 }}
      activeKey={open.includes(k) ? [k] : []}
      onChange={() => toggle(k)}
      items={[
        {
          key: k,
          forceRender: true,
          label: (
            <Space wrap size={4}>
              <Typography.Text strong>{title}</Typography.Text>
              <Typography.Text type="secondary">{summary}</Typography.Text>
            </Space>
          ),
          children,
        },
      ]}
    />
  );
}

type Member = HouseholdDetail['members'][number];

/** 家庭成员: each member confirmed or corrected; a head who leaves names the new head. */
export function MemberFields({
  members,
  head,
  headLeft,
  remaining,
}: {
  members: Member[];
  head: Member | undefined;
  headLeft: boolean;
  remaining: Member[];
}) {
  return (
    <>
      <Form.List name="members">
        {(fields) =>
          fields.map((f, i) => (
            <Space
              key={f.key}
              wrap
              align="start"
              style={{ width: '100%', borderBottom: '1px solid #f0f0f0', paddingBottom: 8, marginBottom: 8 }}
            >
              <Typography.Text strong style={{ minWidth: 96, display: 'inline-block' }}>
                {members[i]?.name} (
                {Relation.labels[members[i]?.relation as keyof typeof Relation.labels] ?? members[i]?.relation})
              </Typography.Text>
              <Form.Item name={[f.name, 'left']} label="减少原因" style={{ margin: 0, minWidth: 140 }}>
                <Select
                  allowClear
                  placeholder="仍在本户"
                  options={opts(MemberLeaveReason)}
                  aria-label={`${members[i]?.name} 减少原因`}
                />
              </Form.Item>
              <Form.Item name={[f.name, 'education']} label="文化程度" style={{ margin: 0, minWidth: 120 }}>
                <Select allowClear options={opts(Education)} />
              </Form.Item>
              <Form.Item name={[f.name, 'health']} label="健康状况" style={{ margin: 0, minWidth: 110 }}>
                <Select options={opts(Health)} />
              </Form.Item>
              <Form.Item name={[f.name, 'workStatus']} label="务工状况" style={{ margin: 0, minWidth: 120 }}>
                <Select allowClear options={opts(WorkStatus)} />
              </Form.Item>
            </Space>
          ))
        }
      </Form.List>
      {headLeft && remaining.length > 0 && (
        <Form.Item
          name="newHeadId"
          label={`户主 ${head?.name} 离户: 新户主`}
          rules={[{ required: true, message: '户主离户须指定新户主' }]}
          style={{ marginTop: 8 }}
        >
          <Select
            options={remaining.map((m) => ({ value: m.id, label: m.name }))}
            data-testid="new-head"
            aria-label="新户主"
          />
        </Form.Item>
      )}
      {headLeft && remaining.length === 0 && <Alert type="warning" showIcon title="全部成员离户: 公告后整户注销" />}
    </>
  );
}

/** 收入与两不愁三保障: this year's incomes and the six needs. */
export function IncomeFields() {
  return (
    <>
      <Space wrap>
        {INCOMES.map(([k, label]) => (
          <Form.Item
            key={k}
            name={['assessment', k]}
            label={label}
            rules={[{ required: true, message: `请填写${label}` }]}
          >
            <InputNumber min={0} max={100_000_000} addonAfter="元" style={{ width: 170 }} />
          </Form.Item>
        ))}
      </Space>
      <Space wrap size="large">
        {NEEDS.map(([k, label]) => (
          <Form.Item key={k} name={['assessment', k]} label={label} valuePropName="checked" style={{ margin: 0 }}>
            <Switch checkedChildren="是" unCheckedChildren="否" />
          </Form.Item>
        ))}
      </Space>
    </>
  );
}

/** 证件、风险与措施: documents seen, risks found, measures planned, and what the status asks besides. */
export function RiskFields({ status }: { status: string }) {
  return (
    <>
      <Form.Item
        name="documents"
        label="已查验证件"
        rules={[
          {
            validator: (_, v: string[] | undefined) =>
              v?.length ? Promise.resolve() : Promise.reject(new Error('至少查验一种证件')),
          },
        ]}
      >
        <Checkbox.Group
          options={Object.entries(VERIFICATION_DOCUMENT_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item name="risks" label="发现的风险 (因病、因灾、因意外等; 将转入纳入监测)">
        <Select mode="tags" placeholder="输入后回车" aria-label="发现的风险" />
      </Form.Item>
      <Form.List name="plannedMeasures">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} wrap>
                <Form.Item
                  name={[f.name, 'kind']}
                  rules={[{ required: true, message: '请选择措施类别' }]}
                  style={{ minWidth: 120 }}
                >
                  <Select
                    options={PLANNED_MEASURE_KINDS.map((k) => ({ value: k, label: MeasureKind.labels[k] }))}
                    placeholder="措施类别"
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'description']} rules={[{ required: true, message: '请填写措施内容' }]}>
                  <Input placeholder="措施内容" maxLength={300} />
                </Form.Item>
                <Button onClick={() => remove(f.name)}>删除</Button>
              </Space>
            ))}
            <Button onClick={() => add({ kind: 'EMPLOYMENT' })}>添加帮扶措施 (未达退出标准时)</Button>
          </>
        )}
      </Form.List>
      {status === 'POOR' && (
        <Form.Item
          name="causeAnalysis"
          label="原因分析 (未达退出标准时必填, 并至少制定一项措施)"
          style={{ marginTop: 12 }}
        >
          <Input.TextArea rows={2} maxLength={500} aria-label="原因分析" />
        </Form.Item>
      )}
      {status === 'APPLICANT' && (
        <Form.Item name="householdConsent" valuePropName="checked">
          <Checkbox>农户本人申请纳入 (收入或两不愁三保障低于标准时发起识别)</Checkbox>
        </Form.Item>
      )}
      {status !== 'APPLICANT' && (
        <Form.Item name="removalReason" label="核查发现应清退 (可选)">
          <Select
            allowClear
            placeholder="不清退"
            options={RemovalReason.codes
              .filter((c) => c !== 'WRONGLY_EXITED' || status === 'EXITED')
              .map((c) => ({ value: c, label: RemovalReason.labels[c] }))}
            aria-label="清退原因"
          />
        </Form.Item>
      )}
    </>
  );
}

/** 核查人与农户确认: the two visitors and the household's acknowledgement. */
export function VisitorFields() {
  return (
    <>
      <Space wrap>
        <Form.Item name="visitor1" label="核查人一" rules={[{ required: true, message: '须两人共同入户核查' }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="visitor2" label="核查人二" rules={[{ required: true, message: '须两人共同入户核查' }]}>
          <Input maxLength={40} />
        </Form.Item>
      </Space>
      <Form.Item name="visitors" hidden>
        <Input />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Form.Item
        name="acknowledged"
        valuePropName="checked"
        rules={[
          {
            validator: (_, v) =>
              v ? Promise.resolve() : Promise.reject(new Error('核查结果须向农户宣读并经农户确认')),
          },
        ]}
      >
        <Checkbox>核查结果已向农户宣读, 农户确认无误</Checkbox>
      </Form.Item>
    </>
  );
}

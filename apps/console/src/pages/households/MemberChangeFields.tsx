import { Alert, Form, Select, type FormInstance } from 'antd';
import { MemberLeaveReason, Relation } from '@jingzhun/domain';
import type { HouseholdDetail } from '../../api/views';
import { MemberFields } from './MemberFields';
import type { FormValues } from '../../shared/fieldErrors';

const ADD_REASONS = [
  { value: 'BIRTH', label: '出生' },
  { value: 'MARRIAGE', label: '婚入' },
  { value: 'MIGRATION', label: '迁入' },
  { value: 'CORRECTION', label: '信息更正' },
];
const CLOSE_REASONS = [
  { value: 'DEATH', label: '全部死亡' },
  { value: 'MIGRATION', label: '整户迁出' },
  { value: 'MARRIAGE', label: '婚出' },
  { value: 'CORRECTION', label: '错误数据更正' },
];
export const MEMBER_CHANGE_OPTIONS = [
  { value: 'add', label: '增加成员 (出生、婚入、迁入)' },
  { value: 'remove', label: '减少成员 (死亡、婚出、迁出)' },
  { value: 'head', label: '变更户主' },
  { value: 'split', label: '分户 (部分成员另立新户)' },
  { value: 'close', label: '整户注销' },
];
const relationOptions = Relation.codes
  .filter((c) => c !== 'HEAD')
  .map((c) => ({ value: c, label: Relation.labels[c] }));

/** The case's `data` for the form's values: one change, or the head's departure with the new head in the same case. */
export function memberChangePayload(v: FormValues, household: HouseholdDetail): Record<string, unknown> {
  const head = household.members.find((m) => m.active && m.relation === 'HEAD');
  switch (v.change) {
    case 'remove':
      if (head && v.memberId === head.id)
        return {
          changes: [
            { change: 'head', newHeadId: v.newHeadId },
            { change: 'remove', reason: v.leaveReason, memberId: v.memberId },
          ],
        };
      return { change: 'remove', reason: v.leaveReason, memberId: v.memberId };
    case 'head':
      return {
        change: 'head',
        newHeadId: v.newHeadId,
        ...(head && v.formerHeadRelation ? { relations: { [head.id]: v.formerHeadRelation } } : {}),
      };
    case 'split':
      return { change: 'split', memberIds: v.splitMemberIds ?? [], newHeadId: v.splitHeadId };
    case 'close':
      return { change: 'close', reason: v.closeReason };
    default:
      return { change: 'add', reason: v.addReason, member: v.member };
  }
}

/** 成员变更's form: every kind the rules name, each with only the fields it needs. */
export function MemberChangeFields({ form, household }: { form: FormInstance; household: HouseholdDetail }) {
  const change = Form.useWatch('change', form);
  const leaving = Form.useWatch('memberId', form);
  const splitIds: string[] = Form.useWatch('splitMemberIds', form) ?? [];
  const active = household.members.filter((m) => m.active);
  const head = active.find((m) => m.relation === 'HEAD');
  const option = (m: (typeof active)[number]) => ({
    value: m.id,
    label: `${m.name} (${Relation.labels[m.relation as Relation] ?? m.relation})`,
  });
  const required = (message: string) => [{ required: true, message }];
  return (
    <>
      <Form.Item name="change" label="变更">
        <Select options={MEMBER_CHANGE_OPTIONS} data-testid="member-change-kind" />
      </Form.Item>
      {change === 'remove' && (
        <>
          <Form.Item name="memberId" label="成员" rules={required('请选择成员')}>
            <Select options={active.map(option)} data-testid="leaving-member" />
          </Form.Item>
          <Form.Item name="leaveReason" label="原因" rules={required('请选择原因')}>
            <Select
              options={MemberLeaveReason.codes
                .filter((c) => c !== 'SPLIT')
                .map((c) => ({ value: c, label: MemberLeaveReason.labels[c] }))}
              data-testid="leave-reason"
            />
          </Form.Item>
          {head && leaving === head.id && active.length > 1 && (
            <Form.Item
              name="newHeadId"
              label="新户主 (户主离户, 同一案中指定)"
              rules={required('户主离户须指定新户主')}
            >
              <Select options={active.filter((m) => m.id !== head.id).map(option)} data-testid="new-head" />
            </Form.Item>
          )}
          {leaving && active.length === 1 && (
            <Alert
              type="warning"
              showIcon
              title="这是本户最后一名成员: 公告后整户注销 (状态为已销户, 历史保留, 回访结束)"
            />
          )}
        </>
      )}
      {change === 'head' && (
        <>
          <Form.Item name="newHeadId" label="新户主" rules={required('请选择新户主')}>
            <Select options={active.filter((m) => m.id !== head?.id).map(option)} data-testid="new-head" />
          </Form.Item>
          {head && (
            <Form.Item name="formerHeadRelation" label={`原户主 ${head.name} 与新户主的关系`}>
              <Select options={relationOptions} allowClear />
            </Form.Item>
          )}
        </>
      )}
      {change === 'split' && (
        <>
          <Form.Item
            name="splitMemberIds"
            label="分出的成员 (另立新户, 户状态不变)"
            rules={required('请选择分出的成员')}
          >
            <Select mode="multiple" options={active.map(option)} data-testid="split-members" />
          </Form.Item>
          <Form.Item name="splitHeadId" label="新户户主" rules={required('请选择新户户主')}>
            <Select options={active.filter((m) => splitIds.includes(m.id)).map(option)} data-testid="split-head" />
          </Form.Item>
          {head && splitIds.includes(head.id) && (
            <Alert type="info" showIcon title="原户主分出: 请另案变更原户户主, 或改选分出的成员" />
          )}
        </>
      )}
      {change === 'close' && (
        <Form.Item name="closeReason" label="注销原因" rules={required('请选择原因')}>
          <Select options={CLOSE_REASONS} data-testid="close-reason" />
        </Form.Item>
      )}
      {(change === 'add' || !change) && (
        <>
          <Form.Item name="addReason" label="原因" rules={required('请选择原因')}>
            <Select options={ADD_REASONS} />
          </Form.Item>
          <MemberFields form={form} prefix={['member']} />
        </>
      )}
    </>
  );
}

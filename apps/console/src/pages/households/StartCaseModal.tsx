import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert, Button, Checkbox, DatePicker, Form, Input, InputNumber, List, Modal, Select, Space } from 'antd';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { RemovalReason } from '@jingzhun/domain';
import { ApiError, data, registry } from '../../api/http';
import type { HouseholdDetail } from '../../api/views';
import type { Role } from '../../auth/session';
import { applyFieldErrors, type FormValues, whenValid } from '../../shared/fieldErrors';
import { KIND_LABELS } from '../../shared/labels';
import { errorText } from '../../shared/PageState';
import { MemberChangeFields, memberChangePayload } from './MemberChangeFields';
import { AssessmentModal } from './AssessmentModal';

const PREFLIGHT = ['identification', 'return', 'exit', 'monitoring_inclusion', 'risk_elimination'];

const BY_STATUS: Record<string, string[]> = {
  APPLICANT: ['identification'],
  POOR: ['exit', 'member_change', 'removal'],
  EXITED: ['return', 'member_change', 'monitoring_inclusion', 'removal'],
  MONITORED: ['risk_elimination', 'member_change', 'removal'],
};

/** The procedures a household's status allows, for the roles that may start them (the API checks both again). */
export function startableKinds(status: string, role: Role) {
  if (!['village', 'township', 'county'].includes(role)) return [];
  return (BY_STATUS[status] ?? []).map((kind) => ({ kind, label: `发起${KIND_LABELS[kind]}` }));
}

/** Starts a procedure with the form its kind needs; a refusal lists the unmet preconditions one by one. */
export function StartCaseModal({
  household,
  kind,
  onClose,
}: {
  household: HouseholdDetail;
  kind: string;
  onClose: () => void;
}) {
  const [form] = Form.useForm();
  const navigate = useNavigate();
  const start = useMutation({
    mutationFn: async () => {
      const v = form.getFieldsValue(true) as FormValues;
      const payload: Record<string, unknown> = {};
      if (kind === 'identification' || kind === 'return') payload.householdConsent = v.householdConsent === true;
      if (kind === 'monitoring_inclusion')
        Object.assign(payload, {
          trigger: v.trigger,
          ...(v.firstClueAt ? { firstClueAt: v.firstClueAt.toISOString() } : {}),
        });
      if (kind === 'member_change') Object.assign(payload, memberChangePayload(v, household));
      if (kind === 'removal') payload.removalReason = v.removalReason;
      return await data(
        registry.POST('/cases', {
          body: { kind: kind as never, householdId: household.id, reason: v.reason, year: v.year, data: payload },
        }),
      );
    },
    onSuccess: (c) => navigate(`/cases/${c.id}`),
    onError: (err) => applyFieldErrors(form, err, ['data']),
  });
  const obstacles = start.error instanceof ApiError ? (start.error.details?.obstacles ?? []) : [];
  // What the start will check, before the officer submits (the same rules: GET /cases/preflight).
  const year = (Form.useWatch('year', form) as number | undefined) ?? new Date().getFullYear();
  const [assessing, setAssessing] = useState(false);
  const preflight = useQuery({
    queryKey: ['preflight', kind, household.id, year],
    enabled: PREFLIGHT.includes(kind) && year >= 2013 && year <= 2100,
    queryFn: () =>
      data(
        registry.GET('/cases/preflight', {
          params: { query: { kind: kind as never, householdId: household.id, year } },
        }),
      ),
  });
  const checks = preflight.data?.checks ?? [];
  const needsAssessment = checks.some((c) => !c.ok && c.label === '当年核实');
  return (
    <Modal
      open
      title={`发起${KIND_LABELS[kind]} · ${household.number}`}
      okText="发起"
      cancelText="取消"
      onCancel={onClose}
      confirmLoading={start.isPending}
      onOk={() => whenValid(form, () => start.mutate())}
      width={640}
    >
      {start.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={obstacles.length ? '不符合发起条件:' : errorText(start.error)}
          description={
            obstacles.length ? (
              <List
                size="small"
                dataSource={obstacles}
                renderItem={(o) => <List.Item data-testid="obstacle">{o}</List.Item>}
              />
            ) : undefined
          }
          data-testid="start-error"
        />
      )}
      {checks.length > 0 && (
        <Alert
          type={checks.every((c) => c.ok) ? 'success' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          title={checks.every((c) => c.ok) ? '按当前事实核对, 符合发起条件' : '发起前请补齐:'}
          data-testid="preflight"
          description={
            <Space orientation="vertical" size={2}>
              {checks.map((c) => (
                <span key={c.label + c.detail} data-testid="preflight-check" data-ok={c.ok}>
                  {c.ok ? (
                    <CheckCircleFilled style={{ color: '#237804' }} aria-label="符合" />
                  ) : (
                    <CloseCircleFilled style={{ color: '#a8071a' }} aria-label="不符合" />
                  )}{' '}
                  {c.label}: {c.detail}
                </span>
              ))}
              {needsAssessment && (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => setAssessing(true)}
                  data-testid="record-assessment-inline"
                >
                  录入 {year} 年度收入核实
                </Button>
              )}
            </Space>
          }
        />
      )}
      {assessing && <AssessmentModal household={household} year={year} onClose={() => setAssessing(false)} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ year: new Date().getFullYear(), change: 'add', trigger: 'visit' }}
      >
        <Form.Item name="reason" label="事由" rules={[{ required: true, message: '请说明事由' }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {kind !== 'member_change' &&
          kind !== 'monitoring_inclusion' &&
          kind !== 'risk_elimination' &&
          kind !== 'removal' && (
            <Form.Item name="year" label="年度">
              <InputNumber min={2013} max={2100} />
            </Form.Item>
          )}
        {(kind === 'identification' || kind === 'return') && (
          <Form.Item
            name="householdConsent"
            valuePropName="checked"
            rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error('须有农户本人同意'))) }]}
          >
            <Checkbox>农户本人已提出申请并同意</Checkbox>
          </Form.Item>
        )}
        {kind === 'monitoring_inclusion' && (
          <>
            <Form.Item name="trigger" label="线索来源">
              <Select
                options={[
                  { value: 'self_report', label: '农户自主申报' },
                  { value: 'visit', label: '干部排查走访' },
                  { value: 'alert', label: '部门预警' },
                ]}
              />
            </Form.Item>
            <Form.Item name="firstClueAt" label="首次发现风险的时间 (默认现在)">
              <DatePicker showTime style={{ width: '100%' }} />
            </Form.Item>
          </>
        )}
        {kind === 'member_change' && <MemberChangeFields form={form} household={household} />}
        {kind === 'removal' && (
          <Form.Item
            name="removalReason"
            label="清退原因"
            rules={[{ required: true, message: '请选择清退原因' }]}
            extra="经村级核实、公示 7 天、乡镇审核、县级审批后公告; 错退的户恢复为未脱贫户"
          >
            <Select
              options={RemovalReason.codes
                .filter((c) => c !== 'WRONGLY_EXITED' || household.status === 'EXITED')
                .map((c) => ({ value: c, label: RemovalReason.labels[c] }))}
              data-testid="removal-reason"
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

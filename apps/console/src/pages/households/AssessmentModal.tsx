import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, DatePicker, Form, InputNumber, Modal, Typography } from 'antd';
import dayjs from 'dayjs';
import { BASIC_NEEDS, netIncomePerHead } from '@jingzhun/domain';
import { data, registry } from '../../api/http';
import type { HouseholdDetail } from '../../api/views';
import { applyFieldErrors, type FormValues, whenValid } from '../../shared/fieldErrors';
import { errorText } from '../../shared/PageState';
import { StepFields } from '../inbox/StepFields';

/**
 * 录入年度收入核实: the year's incomes, costs and needs found at the door, recorded on the household
 * (POST /households/:id/assessments); income per head is computed live over the members living there.
 */
export function AssessmentModal({
  household,
  year,
  onClose,
  onSaved,
}: {
  household: HouseholdDetail;
  year: number;
  onClose: () => void;
  onSaved?: () => void;
}) {
  const [form] = Form.useForm();
  const qc = useQueryClient();
  const residents = household.members.filter((m) => m.active).length;
  const values = Form.useWatch([], form) as FormValues | undefined;
  const a = (values?.assessment ?? {}) as Record<string, number | undefined>;
  const perHead =
    residents > 0
      ? netIncomePerHead({
          wageIncome: a.wageIncome ?? 0,
          businessIncome: a.businessIncome ?? 0,
          propertyIncome: a.propertyIncome ?? 0,
          transferIncome: a.transferIncome ?? 0,
          productionCosts: a.productionCosts ?? 0,
          people: residents,
        })
      : null;
  const save = useMutation({
    mutationFn: async () => {
      const v = form.getFieldsValue(true) as FormValues;
      const found = (v.assessment ?? {}) as Record<string, unknown>;
      const needs = Object.fromEntries(
        BASIC_NEEDS.map((n) => [n, Array.isArray(found.needs) && (found.needs as string[]).includes(n)]),
      );
      return data(
        registry.POST('/households/{id}/assessments', {
          params: { path: { id: household.id } },
          body: {
            year: v.year,
            assessedOn: v.assessedOn.format('YYYY-MM-DD'),
            wageIncome: found.wageIncome,
            businessIncome: found.businessIncome,
            propertyIncome: found.propertyIncome,
            transferIncome: found.transferIncome,
            productionCosts: found.productionCosts,
            ...needs,
          } as never,
        }),
      );
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['household', household.id] });
      void qc.invalidateQueries({ queryKey: ['preflight'] });
      onSaved?.();
      onClose();
    },
    onError: (err) => applyFieldErrors(form, err, []),
  });
  return (
    <Modal
      open
      title={`录入 ${year} 年度收入与两不愁三保障核实 · ${household.number}`}
      okText="保存"
      cancelText="取消"
      onCancel={onClose}
      confirmLoading={save.isPending}
      onOk={() => whenValid(form, () => save.mutate())}
      width={560}
    >
      {save.error && <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ year, assessedOn: dayjs() }}>
        <Form.Item name="year" label="年度" rules={[{ required: true, message: '请填写年度' }]}>
          <InputNumber min={2013} max={2100} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="assessedOn" label="核实日期" rules={[{ required: true, message: '请选择核实日期' }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <StepFields sk="verification" kind="identification" />
      </Form>
      <Typography.Paragraph data-testid="live-per-head" style={{ marginBottom: 0 }}>
        年人均纯收入 <Typography.Text strong>{perHead ?? '—'} 元</Typography.Text> ({residents} 名常住成员)
        {household.standard.povertyLine !== null && perHead !== null && (
          // Dark enough on white for 4.5:1 (antd's success and error text colours are not).
          <span style={{ color: perHead > household.standard.povertyLine ? '#237804' : '#a8071a' }}>
            {' '}
            {perHead > household.standard.povertyLine ? '高于' : '不高于'} {household.standard.year} 年贫困标准{' '}
            {household.standard.povertyLine} 元
          </span>
        )}
      </Typography.Paragraph>
    </Modal>
  );
}

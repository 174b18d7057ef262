import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { HouseholdAttribute, PovertyCause } from '@jingzhun/domain';
import { data, registry } from '../../api/http';
import { useSessionUser } from '../../auth/useSession';
import { applyFieldErrors, type FormValues } from '../../shared/fieldErrors';
import { errorText } from '../../shared/PageState';
import { MemberFields } from './MemberFields';

const opts = (t: { codes: readonly string[]; labels: Record<string, string> }) =>
  t.codes.map((c) => ({ value: c, label: t.labels[c] }));

/** 登记农户: a new applicant household (identification follows), members with their ID numbers checked as typed. */
export function RegisterHouseholdPage() {
  const [form] = Form.useForm();
  const user = useSessionUser()!;
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: async () => {
      const v = form.getFieldsValue(true) as FormValues;
      const members = (v.members ?? []).map(({ birthDate: _b, ...m }: Record<string, unknown>) => m);
      return await data(
        registry.POST('/households', {
          body: {
            villageCode: v.villageCode,
            attribute: v.attribute,
            mainCause: v.mainCause,
            secondaryCauses: v.secondaryCauses ?? [],
            address: v.address,
            members,
          } as never,
        }),
      );
    },
    onSuccess: (h) => navigate(`/households/${h.id}`),
    onError: (err) => applyFieldErrors(form, err),
  });
  return (
    <>
      <Typography.Title level={3}>登记农户 (申请)</Typography.Title>
      {create.error && (
        <Alert
          type="error"
          showIcon
          title={errorText(create.error)}
          style={{ marginBottom: 16 }}
          data-testid="register-error"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          villageCode: user.role === 'village' ? user.regionCode : undefined,
          attribute: 'GENERAL',
          members: [{ relation: 'HEAD' }],
        }}
        style={{ maxWidth: 720 }}
      >
        <Form.Item name="villageCode" label="行政村代码" rules={[{ required: true, message: '请填写12位行政村代码' }]}>
          <Input maxLength={12} disabled={user.role === 'village'} />
        </Form.Item>
        <Form.Item name="attribute" label="贫困户属性">
          <Select options={opts(HouseholdAttribute)} />
        </Form.Item>
        <Form.Item name="mainCause" label="主要致贫原因" rules={[{ required: true, message: '请选择主要致贫原因' }]}>
          <Select options={opts(PovertyCause)} />
        </Form.Item>
        <Form.Item name="secondaryCauses" label="其他致贫原因 (最多2项)">
          <Select mode="multiple" maxCount={2} options={opts(PovertyCause)} />
        </Form.Item>
        <Form.Item name="address" label="住址">
          <Input maxLength={200} />
        </Form.Item>
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((f, i) => (
                <Card
                  key={f.key}
                  size="small"
                  title={i === 0 ? '户主' : `成员 ${i + 1}`}
                  extra={
                    i > 0 && (
                      <Button size="small" onClick={() => remove(f.name)}>
                        删除
                      </Button>
                    )
                  }
                >
                  <MemberFields form={form} prefix={[f.name]} absolute={['members', f.name]} headOnly={i === 0} />
                </Card>
              ))}
              <Button onClick={() => add({ relation: undefined })}>添加成员</Button>
            </Space>
          )}
        </Form.List>
        <Button
          type="primary"
          style={{ marginTop: 16 }}
          loading={create.isPending}
          onClick={() => create.mutate()}
          data-testid="register-submit"
        >
          登记
        </Button>
      </Form>
    </>
  );
}

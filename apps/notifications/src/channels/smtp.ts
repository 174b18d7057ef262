import nodemailer, { type Transporter } from 'nodemailer';

/** E-mail over SMTP (nodemailer), one pooled transport per process. */
export class SmtpChannel {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(m: { id: string; to: string; subject: string; text: string }): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      messageId: `<${m.id}@jingzhun.local>`,
    });
  }

  close(): void {
    this.transport.close();
  }
}

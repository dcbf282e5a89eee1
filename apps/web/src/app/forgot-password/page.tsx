import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/ui/ActionForm';
import { requestPasswordReset } from '@/features/auth/actions';

export const metadata: Metadata = {
  title: 'Forgot your password?',
  description: 'Get a link to choose a new MentorHub password.',
};

export default function ForgotPasswordPage() {
  return (
    <div className="narrow">
      <h1>Forgot your password?</h1>
      <p>Enter the email address of your account and we will mail you a link to choose a new password.</p>
      <ActionForm
        action={requestPasswordReset}
        submitLabel="Mail me a link"
        fields={[{ name: 'email', label: 'Email', type: 'email', required: true, autoComplete: 'email' }]}
      />
      <p>
        Remembered it? <Link href="/sign-in">Sign in</Link>
      </p>
    </div>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/ui/ActionForm';
import { signIn } from '@/features/auth/actions';
import { safeReturnPath } from '@/lib/actions';

export const metadata: Metadata = {
  title: 'Sign in',
  description: 'Sign in to book mentors and follow your courses.',
};

export default async function SignInPage({ searchParams }: PageProps<'/sign-in'>) {
  const { next, reset } = await searchParams;
  const returnTo = safeReturnPath(typeof next === 'string' ? next : '', '/dashboard');
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      {reset === 'done' ? (
        <p role="status" className="notice notice-success">
          Your password was changed and every device was signed out. Sign in with the new password.
        </p>
      ) : null}
      <ActionForm
        action={signIn}
        submitLabel="Sign in"
        hidden={{ next: returnTo }}
        fields={[
          { name: 'email', label: 'Email', type: 'email', required: true, autoComplete: 'email' },
          {
            name: 'password',
            label: 'Password',
            type: 'password',
            required: true,
            autoComplete: 'current-password',
          },
        ]}
      />
      <p>
        <Link href="/forgot-password">Forgot password?</Link>
      </p>
      <p>
        New here? <Link href={`/sign-up?next=${encodeURIComponent(returnTo)}`}>Create an account</Link>
      </p>
    </div>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/ui/ActionForm';
import { signUp } from '@/features/auth/actions';
import { safeReturnPath } from '@/lib/actions';

export const metadata: Metadata = {
  title: 'Create an account',
  description: 'Create a MentorHub account to book sessions with mentors and enroll in courses.',
};

export default async function SignUpPage({ searchParams }: PageProps<'/sign-up'>) {
  const { next } = await searchParams;
  const returnTo = safeReturnPath(typeof next === 'string' ? next : '', '/dashboard');
  return (
    <div className="narrow">
      <h1>Create an account</h1>
      <ActionForm
        action={signUp}
        submitLabel="Create account"
        hidden={{ next: returnTo }}
        fields={[
          { name: 'name', label: 'Name', required: true, autoComplete: 'name', maxLength: 120 },
          {
            name: 'email',
            label: 'Email',
            type: 'email',
            required: true,
            autoComplete: 'email',
            hint: 'We mail you a link to choose your password.',
          },
        ]}
      />
      <p>
        Already have an account? <Link href={`/sign-in?next=${encodeURIComponent(returnTo)}`}>Sign in</Link>
      </p>
    </div>
  );
}

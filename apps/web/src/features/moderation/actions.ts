'use server';

import type { ModerationAction, ReportableKind, ReportReason } from '@mentorhub/contracts';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { api } from '@/lib/api/server';
import { formError, text, type FormState } from '@/lib/actions';

const DAY_MS = 86_400_000;

/** Files a report and shows it among the reporter's reports (a repeat shows the first one). */
export async function reportItem(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { reason: text(form, 'reason'), details: text(form, 'details') };
  try {
    await (
      await api()
    ).reports.create({
      // Sent as posted: the API validates every field and answers what is wrong.
      kind: text(form, 'kind') as ReportableKind,
      itemId: Number(text(form, 'itemId')),
      reason: values.reason as ReportReason,
      details: values.details,
    });
  } catch (error) {
    return formError(error, values);
  }
  redirect('/reports?notice=filed');
}

/** An admin's decision on a case; a suspension lasts the days given, or for good when left empty. */
export async function decideCase(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { action: text(form, 'action'), reason: text(form, 'reason'), days: text(form, 'days') };
  const days = values.days.trim() === '' ? undefined : Number(values.days);
  if (days !== undefined && !(Number.isInteger(days) && days > 0))
    return {
      message: 'Please correct the fields marked below.',
      fieldErrors: { days: 'must be a whole number of days' },
      values,
    };
  try {
    await (
      await api()
    ).moderation.decide(Number(text(form, 'caseId')), {
      action: values.action as ModerationAction,
      reason: values.reason,
      ...(values.action === 'suspend' && days !== undefined
        ? { suspendedUntil: new Date(Date.now() + days * DAY_MS).toISOString() }
        : {}),
    });
  } catch (error) {
    return formError(error, values);
  }
  revalidatePath('/admin/moderation');
  redirect(`/admin/${values.action === 'reinstate' ? 'audit-log' : 'moderation'}?notice=decided`);
}

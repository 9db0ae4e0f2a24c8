/* glib-locks.c: GMutex and GCond on POSIX threads, for ThreadSanitizer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib builds GMutex and GCond on Linux futexes.  ThreadSanitizer only
 * understands locks it intercepts, so in a ThreadSanitizer build every
 * section guarded by a GMutex would look like a data race.  Linked into
 * the test programs of such a build, these definitions take the place of
 * GLib's for calls from this project's code, and lock with pthread
 * mutexes and condition variables, which ThreadSanitizer intercepts.  GLib's
 * calls to its own locks stay inside the library, which binds them to
 * its own definitions.
 *
 * The GMutex and GCond unions hold a pointer to the POSIX object,
 * created on first use, so statically zeroed locks work as well.
 */

#include <glib.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t *
mutex_get (GMutex *mutex)
{
  pthread_mutex_t *impl = g_atomic_pointer_get (&mutex->p);

  if (impl == NULL)
    {
      pthread_mutex_t *fresh = malloc (sizeof *fresh);

      if (fresh == NULL)
        abort ();
      pthread_mutex_init (fresh, NULL);
      if (!g_atomic_pointer_compare_and_exchange (&mutex->p, NULL, fresh))
        {
          pthread_mutex_destroy (fresh);
          free (fresh);
        }
      impl = g_atomic_pointer_get (&mutex->p);
    }

  return impl;
}

static pthread_cond_t *
cond_get (GCond *cond)
{
  pthread_cond_t *impl = g_atomic_pointer_get (&cond->p);

  if (impl == NULL)
    {
      pthread_cond_t *fresh = malloc (sizeof *fresh);
      pthread_condattr_t attributes;

      if (fresh == NULL)
        abort ();

      /* g_cond_wait_until() takes monotonic time. */
      pthread_condattr_init (&attributes);
      pthread_condattr_setclock (&attributes, CLOCK_MONOTONIC);
      pthread_cond_init (fresh, &attributes);
      pthread_condattr_destroy (&attributes);

      if (!g_atomic_pointer_compare_and_exchange (&cond->p, NULL, fresh))
        {
          pthread_cond_destroy (fresh);
          free (fresh);
        }
      impl = g_atomic_pointer_get (&cond->p);
    }

  return impl;
}

void
g_mutex_init (GMutex *mutex)
{
  mutex->p = NULL;
}

void
g_mutex_clear (GMutex *mutex)
{
  pthread_mutex_t *impl = mutex->p;

  if (impl != NULL)
    {
      pthread_mutex_destroy (impl);
      free (impl);
    }
  mutex->p = NULL;
}

void
g_mutex_lock (GMutex *mutex)
{
  pthread_mutex_lock (mutex_get (mutex));
}

void
g_mutex_unlock (GMutex *mutex)
{
  pthread_mutex_unlock (mutex_get (mutex));
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  return pthread_mutex_trylock (mutex_get (mutex)) == 0;
}

void
g_cond_init (GCond *cond)
{
  cond->p = NULL;
}

void
g_cond_clear (GCond *cond)
{
  pthread_cond_t *impl = cond->p;

  if (impl != NULL)
    {
      pthread_cond_destroy (impl);
      free (impl);
    }
  cond->p = NULL;
}

void
g_cond_wait (GCond  *cond,
             GMutex *mutex)
{
  pthread_cond_wait (cond_get (cond), mutex_get (mutex));
}

gboolean
g_cond_wait_until (GCond  *cond,
                   GMutex *mutex,
                   gint64  end_time)
{
  struct timespec until = { end_time / G_USEC_PER_SEC, (end_time % G_USEC_PER_SEC) * 1000 };

  return pthread_cond_timedwait (cond_get (cond), mutex_get (mutex), &until) == 0;
}

void
g_cond_signal (GCond *cond)
{
  pthread_cond_signal (cond_get (cond));
}

void
g_cond_broadcast (GCond *cond)
{
  pthread_cond_broadcast (cond_get (cond));
}

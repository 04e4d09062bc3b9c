/*
 * Helpers for the channel tests (test_chan.c): a temporary socket path, child
 * processes that play the device (the real library, or a hand-made fake that
 * misbehaves on purpose), and a control socket between the test and its
 * child for the steps a test orders and for the child's findings.
 *
 * A child never calls cmocka: it reports through the control socket or its
 * exit status, and ends with _exit() so that nothing of the parent's runs
 * twice.
 */
#ifndef TEST_CHAN_UTIL_H
#define TEST_CHAN_UTIL_H

#include <dirent.h>
#include <sched.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "toe_chan.h"

/* How long a test waits for something that must happen. Never a measure of
 * speed: only a guard so that a bug (a lost wakeup) fails instead of hanging. */
#define GUARD_MS 2000

static char tmp_dir[64];
static char sock_path[128];

static inline int make_sock_path(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/test_chan_XXXXXX");
    if (!mkdtemp(tmp_dir))
        return -1;
    snprintf(sock_path, sizeof(sock_path), "%s/toe-sim.sock", tmp_dir);
    return 0;
}

static inline int remove_sock_path(void **state)
{
    (void)state;
    unlink(sock_path);
    rmdir(tmp_dir);
    return 0;
}

/* ---- the control socket -------------------------------------------------------------- */

static inline void ctl_put(int fd, uint64_t v)
{
    if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
        _exit(90);
}

/* A value from the other side, or UINT64_MAX when it hung up. */
static inline uint64_t ctl_get(int fd)
{
    uint64_t v;
    size_t n = 0;

    while (n < sizeof(v)) {
        ssize_t k = read(fd, (char *)&v + n, sizeof(v) - n);

        if (k <= 0)
            return UINT64_MAX;
        n += (size_t)k;
    }
    return v;
}

static inline void ctl_put_str(int fd, const char *s)
{
    size_t n = strlen(s);

    ctl_put(fd, n);
    if (write(fd, s, n) != (ssize_t)n)
        _exit(90);
}

static inline void ctl_get_str(int fd, char *buf, size_t len)
{
    uint64_t n = ctl_get(fd);
    size_t got = 0;

    buf[0] = '\0';
    if (n == UINT64_MAX || n >= len)
        return;
    while (got < n) {
        ssize_t k = read(fd, buf + got, n - got);

        if (k <= 0)
            break;
        got += (size_t)k;
    }
    buf[got] = '\0';
}

/* ---- children ------------------------------------------------------------------------ */

struct child {
    pid_t pid;
    int ctl; /* the test's end of the control socket */
};

/* Runs fn(ctl, arg) in a child and returns once the child has said it is ready
 * (its first ctl_put); the child's exit status is fn's return value. */
static inline struct child spawn(int (*fn)(int ctl, void *arg), void *arg)
{
    struct child c = {.pid = -1, .ctl = -1};
    int sp[2];

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0)
        return c;
    fflush(stdout);
    fflush(stderr);
    c.pid = fork();
    if (c.pid == 0) {
        close(sp[0]);
        _exit(fn(sp[1], arg));
    }
    close(sp[1]);
    c.ctl = sp[0];
    if (c.pid > 0 && ctl_get(c.ctl) != 1) {
        kill(c.pid, SIGKILL);
        waitpid(c.pid, NULL, 0);
        c.pid = -1;
    }
    return c;
}

/* The child's exit status, 128 + signal if it was killed. */
static inline int reap(struct child *c)
{
    int st = 0;

    if (c->pid <= 0)
        return -1;
    if (waitpid(c->pid, &st, 0) < 0)
        return -1;
    close(c->ctl);
    c->pid = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static inline int kill_child(struct child *c)
{
    if (c->pid > 0)
        kill(c->pid, SIGKILL);
    return reap(c);
}

/* Runs the calling process on the n-th CPU it may use (n = 0 or 1) and returns
 * 1, or returns 0 and changes nothing when it may use fewer than two. old (if
 * not NULL) receives the set to restore. */
static inline int pin_cpu(int n, cpu_set_t *old)
{
    cpu_set_t set;
    int c, seen = 0;

    if (sched_getaffinity(0, sizeof(set), &set) < 0 || CPU_COUNT(&set) < 2)
        return 0;
    if (old)
        *old = set;
    for (c = 0; c < CPU_SETSIZE; c++) {
        if (CPU_ISSET(c, &set) && seen++ == n) {
            CPU_ZERO(&set);
            CPU_SET(c, &set);
            return sched_setaffinity(0, sizeof(set), &set) == 0;
        }
    }
    return 0;
}

/* A device built on the library: listens on sock_path, says ready, runs fn;
 * on the second CPU if cpu1 is set. */
struct device_args {
    struct toe_chan_opts opts;
    int (*fn)(struct toe_chan *ch, int ctl, void *arg);
    void *arg;
    int cpu1;
};

static inline int device_main(int ctl, void *p)
{
    struct device_args *a = p;
    struct toe_chan *ch = toe_chan_new(&a->opts);
    int rc;

    if (a->cpu1)
        pin_cpu(1, NULL);
    if (!ch || toe_chan_listen(ch, sock_path) < 0) {
        fprintf(stderr, "device: listen: %s\n", ch ? toe_chan_error(ch) : "no memory");
        return 100;
    }
    ctl_put(ctl, 1);
    rc = a->fn(ch, ctl, a->arg);
    toe_chan_close(ch);
    return rc;
}

#define CHILD_CHECK(c)                                                                    \
    do {                                                                                  \
        if (!(c)) {                                                                       \
            fprintf(stderr, "child check failed at %s:%d: %s\n", __FILE__, __LINE__, #c); \
            return 1;                                                                     \
        }                                                                                 \
    } while (0)

/* ---- the process's state ------------------------------------------------------------- */

static inline int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n - 1; /* the directory's own fd */
}

/* The scheduler state of a process ('R', 'S', ...), from /proc/PID/stat. */
static inline char proc_state(pid_t pid)
{
    char path[64], buf[512], *p;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    if (!f)
        return '?';
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
    return p && p[1] == ' ' ? p[2] : '?';
}

static inline int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif /* TEST_CHAN_UTIL_H */

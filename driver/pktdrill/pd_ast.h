/*
 * The packetdrill script as data: a list of timed events (docs/packetdrill.md).
 *
 * Order of use: pd_parse_file()/pd_parse_text() -> walk script->events ->
 * pd_event_format() for messages -> pd_script_free(). Nothing here runs a
 * script; the runner (toe-packetdrill, issue 5) interprets these events.
 *
 * Every node of one script lives in the script's arena, so freeing the script
 * frees everything, including after a parse error part-way through.
 */
#ifndef PD_AST_H
#define PD_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- time ------------------------------------------------------------------------ */

enum pd_time_kind {
    PD_TIME_NONE,     /* the event has no time (option lines, untimed commands) */
    PD_TIME_ABS,      /* "0.100": from the start of the script */
    PD_TIME_REL,      /* "+0.1": from the previous event */
    PD_TIME_ANY,      /* "*": whenever it happens (outbound packets only) */
};

struct pd_time {
    enum pd_time_kind kind;
    int64_t usecs;    /* microseconds; packetdrill's resolution */
};

/*
 * When an event happens. A range (TIME~TIME) is allowed on outbound packets
 * only; a blocking end (TIME...END) on system calls only. END is counted from
 * the same base as TIME; its kind records how it was written ('+' or not).
 */
struct pd_timing {
    struct pd_time start;
    bool has_range;
    struct pd_time range_end;
    bool has_block;
    struct pd_time block_end;
};

/* ---- packets --------------------------------------------------------------------- */

enum pd_dir { PD_DIR_IN = '<', PD_DIR_OUT = '>' };

/* TCP header flags, by the letter a script writes (RFC 793, RFC 3168). */
enum pd_tcp_flag {
    PD_TCP_FIN = 0x01, /* F */
    PD_TCP_SYN = 0x02, /* S */
    PD_TCP_RST = 0x04, /* R */
    PD_TCP_PSH = 0x08, /* P */
    PD_TCP_ACK = 0x10, /* . */
    PD_TCP_URG = 0x20, /* U */
    PD_TCP_ECE = 0x40, /* E */
    PD_TCP_CWR = 0x80, /* W */
    PD_TCP_AE  = 0x100, /* C: in the flag set our brief lists; bit 8, the only one left, is AE
                         * (RFC 9768). Upstream's AccECN 'A' and ACE digits are not accepted. */
};

/* The IP header's ECN field (RFC 3168 5), written "[ect0]" before the flags. */
enum pd_ecn {
    PD_ECN_UNSPEC,    /* not written: not checked */
    PD_ECN_NOECN,     /* [noecn]: 00 */
    PD_ECN_ECT1,      /* [ect1]: 01 */
    PD_ECN_ECT0,      /* [ect0]: 10 */
    PD_ECN_CE,        /* [ce]: 11 */
    PD_ECN_ECT01,     /* [ect01]: either ECT codepoint (outbound) */
};

enum pd_opt_kind {
    PD_OPT_EOL,       /* eol */
    PD_OPT_NOP,       /* nop */
    PD_OPT_MSS,       /* mss N */
    PD_OPT_WSCALE,    /* wscale N */
    PD_OPT_SACKOK,    /* sackOK */
    PD_OPT_SACK,      /* sack L:R ... (one to four blocks, RFC 2018) */
    PD_OPT_TS,        /* TS val X ecr Y (RFC 7323) */
};

#define PD_SACK_MAX_BLOCKS 4

struct pd_tcp_opt {
    enum pd_opt_kind kind;
    uint32_t value;           /* mss, wscale; TS val */
    uint32_t ecr;             /* TS ecr */
    unsigned n_blocks;        /* sack */
    uint32_t block[PD_SACK_MAX_BLOCKS][2];  /* left, right edges */
};

enum pd_opts_mode {
    PD_OPTS_NONE,     /* no <...>: the packet carries no options */
    PD_OPTS_ANY,      /* <...>: options not checked (outbound) */
    PD_OPTS_LIST,     /* <a,b,c>: exactly these */
};

struct pd_packet {
    enum pd_dir dir;
    enum pd_ecn ecn;
    unsigned flags;           /* pd_tcp_flag bits */
    uint32_t seq_start, seq_end, len;  /* start:end(len), relative to an ISN */
    bool has_ack;
    uint32_t ack;
    bool has_win;             /* outbound: omitted means not checked */
    uint32_t win;
    bool has_urg;
    uint32_t urg;
    enum pd_opts_mode opts_mode;
    size_t n_opts;
    struct pd_tcp_opt *opts;
};

/* ---- system calls ------------------------------------------------------------------ */

enum pd_expr_kind {
    PD_EX_ELLIPSIS,   /* ...: whatever the runner supplies */
    PD_EX_INT,        /* 42, -1, 0x10 */
    PD_EX_NAME,       /* SOCK_STREAM, EINPROGRESS */
    PD_EX_STRING,     /* "192.0.2.1" */
    PD_EX_OR,         /* a | b: kids[0], kids[1] */
    PD_EX_ARRAY,      /* [a, b]: kids */
    PD_EX_STRUCT,     /* {a, b}: kids, each usually a PD_EX_FIELD */
    PD_EX_FIELD,      /* name=kids[0] inside a struct; with call_form, name(kids[1..])=kids[0]
                       * as upstream writes msghdr: msg_iov(1)=[{...}] */
    PD_EX_CALL,       /* name(kids): htons(8080), inet_addr("...") */
};

struct pd_expr {
    enum pd_expr_kind kind;
    int64_t ival;             /* PD_EX_INT */
    const char *name;         /* NAME, STRING (without quotes), FIELD, CALL */
    bool call_form;           /* FIELD written name(args)=value */
    size_t n_kids;
    struct pd_expr **kids;
};

struct pd_syscall {
    const char *name;
    size_t n_args;
    struct pd_expr **args;
    int64_t result;           /* the expected return value */
    const char *errno_name;   /* "EINPROGRESS", or NULL */
    const char *errno_text;   /* "Operation now in progress", or NULL */
};

/* ---- events -------------------------------------------------------------------------- */

enum pd_event_kind {
    PD_EV_OPTION,     /* --name=value, before the first timed event */
    PD_EV_PACKET,
    PD_EV_SYSCALL,
    PD_EV_SHELL,      /* `command`: Linux-specific; the runner must refuse it aloud */
    PD_EV_CODE,       /* %{ python }%: likewise */
};

struct pd_event {
    enum pd_event_kind kind;
    int line, col;            /* where the event starts in the script */
    struct pd_timing time;
    union {
        struct { const char *name, *value; } option;  /* value NULL for "--name" */
        struct pd_packet packet;
        struct pd_syscall sys;
        const char *text;     /* SHELL, CODE: between the delimiters, as written */
    } u;
};

struct pd_arena;

struct pd_script {
    const char *filename;
    size_t n_events;
    struct pd_event *events;
    struct pd_arena *arena;
};

/* A parse error: where, and a whole message "FILE:LINE:COL: expected X, got Y". */
struct pd_error {
    int line, col;
    char msg[512];
};

/* ---- API ------------------------------------------------------------------------------- */

/*
 * Parse LEN bytes of TEXT (need not be NUL-terminated; a NUL byte inside is an
 * error) named FILENAME in messages. Returns the script, or NULL with *ERR
 * filled. Never reads outside TEXT[0..LEN).
 */
struct pd_script *pd_parse_text(const char *filename, const char *text, size_t len,
                                struct pd_error *err);

/* Read and parse the file at PATH; a read failure is reported in *ERR too. */
struct pd_script *pd_parse_file(const char *path, struct pd_error *err);

void pd_script_free(struct pd_script *script);

/*
 * Write EV in canonical form (one event, no newline) into BUF of SIZE bytes,
 * always NUL-terminated when SIZE > 0. Returns the length the whole text needs,
 * like snprintf, so a caller can tell when it was cut short.
 */
size_t pd_event_format(const struct pd_event *ev, char *buf, size_t size);

/* Every event of SCRIPT in canonical form, one a line; returns 0 or -1 (I/O error). */
int pd_script_print(FILE *out, const struct pd_script *script);

/* Same meaning (positions in the file ignored): for the parse-print-parse round trip. */
bool pd_event_equal(const struct pd_event *a, const struct pd_event *b);

#endif /* PD_AST_H */

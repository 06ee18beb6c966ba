#include "interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t requested;

static void on_sigint(int sig)
{
    (void)sig;
    requested = 1;
    /* the next Ctrl-C takes the default action: stop at once */
    signal(SIGINT, SIG_DFL);
}

void interrupt_watch(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

bool interrupt_requested(void) { return requested != 0; }

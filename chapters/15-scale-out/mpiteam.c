/* mpiteam.c - MPI's world as gantrain's team. */
#include "mpiteam.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"

static MPI_Comm abort_comm = MPI_COMM_NULL;

/* How long a failing rank waits between its message and MPI_Abort:
 * its stderr reaches the terminal through mpirun, which stops
 * forwarding it once the job is being killed. */
#define MESSAGE_GRACE_NS 500000000L

/* fatal()'s way out: one rank stopping alone would leave the others
 * blocked in their next collective call for ever; MPI_Abort has mpirun
 * end every process of the job. */
static void abort_all(int status)
{
    if (abort_comm != MPI_COMM_NULL) {
        struct timespec grace = {0, MESSAGE_GRACE_NS};
        nanosleep(&grace, NULL);
        MPI_Abort(abort_comm, status);
    }
    exit(status);
}

static void broadcast(void *ctx, uint8_t **bytes, size_t *size)
{
    MpiTeam *t = ctx;
    unsigned long long n = *size;
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, t->comm);
    if (t->rank != 0) {
        *bytes = xmalloc(n ? n : 1);
        *size = n;
    }
    /* MPI counts are ints: send it in pieces below 2^30 bytes */
    for (unsigned long long off = 0; off < n;) {
        int chunk = n - off > (1ull << 30) ? 1 << 30 : (int)(n - off);
        MPI_Bcast(*bytes + off, chunk, MPI_BYTE, 0, t->comm);
        off += (unsigned long long)chunk;
    }
}

static bool any(void *ctx, bool mine)
{
    MpiTeam *t = ctx;
    int in = mine, out = 0;
    MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, t->comm);
    return out != 0;
}

void mpi_team_start(MpiTeam *t, int *argc, char ***argv,
                    const char *program)
{
    memset(t, 0, sizeof *t);
    if (MPI_Init(argc, argv) != MPI_SUCCESS) {
        fprintf(stderr, "%s: MPI_Init failed\n", program);
        exit(1);
    }
    t->comm = MPI_COMM_WORLD;
    /* an error in MPI itself stops the job (the default for the world,
     * said here because everything below relies on it) */
    MPI_Comm_set_errhandler(t->comm, MPI_ERRORS_ARE_FATAL);
    MPI_Comm_rank(t->comm, &t->rank);
    MPI_Comm_size(t->comm, &t->size);
    int len = 0;
    MPI_Get_processor_name(t->host, &len);
    MPI_Comm local;
    MPI_Comm_split_type(t->comm, MPI_COMM_TYPE_SHARED, t->rank,
                        MPI_INFO_NULL, &local);
    MPI_Comm_size(local, &t->local_size);
    MPI_Comm_free(&local);
    if (t->size > 1) {
        snprintf(t->name, sizeof t->name, "%.40s rank %d on %s", program,
                 t->rank, t->host);
        error_set_program(t->name);
        abort_comm = t->comm;
        error_set_exit(abort_all);
    } else {
        error_set_program(program);
    }
    t->team = (GanTeam){.rank = t->rank, .size = t->size, .ctx = t,
                        .broadcast = broadcast, .any = any};
}

void mpi_team_end(MpiTeam *t)
{
    (void)t;
    abort_comm = MPI_COMM_NULL;
    error_set_exit(NULL);
    MPI_Finalize();
}

double mpi_team_max(const MpiTeam *t, double x)
{
    double out = x;
    MPI_Allreduce(&x, &out, 1, MPI_DOUBLE, MPI_MAX, t->comm);
    return out;
}

/* run_tests.c - the one test runner: every CUnit suite in tests/.
 *
 *   build/bin/run-tests            all suites
 *   build/bin/run-tests 01-neuron  one suite, by its CUnit name
 *   build/bin/run-tests --no-book-runs [suite]
 *                                  without the tests named "... prints
 *                                  what the book quotes"
 *
 *   build/bin/run-tests [--no-book-runs] --part K/N
 *                                  suites K, K+N, K+2N, ... (counting
 *                                  from 1) and no others
 *
 * --part is for make sanitize too: the programs the tests start run on
 * one thread, so two parts at once use both cores. The suites go to
 * the parts in turn, which spreads the chapters' long suites over them.
 *
 * --no-book-runs is for make sanitize. Those tests rerun a chapter's
 * command from the book to compare its numbers with the page; under the
 * sanitizers they take a third of the suite's time and check no line of
 * code the other tests do not run. CUnit counts them as Inactive.
 *
 * Each test file in tests/ defines `void suite_<name>(void)`, which adds its
 * suite to the registry; the build lists those functions in
 * suites.inc. Exits 1 if any test failed, so CI cannot miss it.
 */
#include <CUnit/Basic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define BOOK_RUN_NAME "prints what the book quotes"

/* Marks inactive every test whose name ends with BOOK_RUN_NAME;
 * returns how many. */
static int deactivate_book_runs(void)
{
    int n = 0;
    size_t tail = strlen(BOOK_RUN_NAME);
    for (CU_pSuite s = CU_get_registry()->pSuite; s; s = s->pNext)
        for (CU_pTest t = s->pTest; t; t = t->pNext) {
            size_t len = strlen(t->pName);
            if (len >= tail &&
                strcmp(t->pName + len - tail, BOOK_RUN_NAME) == 0) {
                CU_set_test_active(t, CU_FALSE);
                n++;
            }
        }
    return n;
}

/* Keeps active the suites of part k of n (k from 1), the others
 * inactive; returns how many it keeps. */
static int keep_part(int k, int n)
{
    int i = 0, kept = 0;
    for (CU_pSuite s = CU_get_registry()->pSuite; s; s = s->pNext, i++) {
        bool mine = i % n == k - 1;
        CU_set_suite_active(s, mine ? CU_TRUE : CU_FALSE);
        kept += mine;
    }
    return kept;
}

#define SUITE(register_fn) void register_fn(void);
#include "suites.inc"
#undef SUITE

int main(int argc, char **argv)
{
    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "run-tests: %s\n", CU_get_error_msg());
        return 1;
    }
#define SUITE(register_fn) register_fn();
#include "suites.inc"
#undef SUITE
    if (CU_get_error() != CUE_SUCCESS) {
        fprintf(stderr, "run-tests: %s\n", CU_get_error_msg());
        return 1;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (argc > 1 && strcmp(argv[1], "--no-book-runs") == 0) {
        CU_set_fail_on_inactive(CU_FALSE);
        printf("run-tests: %d tests that rerun the book's commands left "
               "out (Inactive)\n", deactivate_book_runs());
        argc--;
        argv++;
    }
    if (argc > 2 && strcmp(argv[1], "--part") == 0) {
        int k = 0, n = 0;
        char end;
        if (sscanf(argv[2], "%d/%d%c", &k, &n, &end) != 2 || n < 1 ||
            k < 1 || k > n) {
            fprintf(stderr, "run-tests: --part wants K/N with 1 <= K <= N, "
                    "not '%s'\n", argv[2]);
            CU_cleanup_registry();
            return 2;
        }
        CU_set_fail_on_inactive(CU_FALSE);
        printf("run-tests: part %d of %d, %d suites\n", k, n, keep_part(k, n));
        argc -= 2;
        argv += 2;
    }
    if (argc > 1) {
        CU_pSuite suite = CU_get_suite(argv[1]);
        if (!suite) {
            fprintf(stderr, "run-tests: no suite named '%s'\n", argv[1]);
            CU_cleanup_registry();
            return 2;
        }
        CU_basic_run_suite(suite);
    } else {
        CU_basic_run_tests();
    }
    unsigned failed = CU_get_number_of_tests_failed() +
                      CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}

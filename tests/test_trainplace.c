/* test_trainplace.c - a run's place survives a checkpoint, and a
 * damaged or mismatched one is refused. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "trainplace.h"

#define COUNT 10
#define BATCH 4

static char *save(const char *dir, TrainPlace *p, const char *name)
{
    char *path = scratch_path(dir, name);
    Ckpt c;
    Error err;
    ckpt_init(&c, "t");
    train_place_ckpt_add(&c, p);
    CU_ASSERT_EQUAL(ckpt_save(&c, path, &err), 0);
    ckpt_free(&c);
    return path;
}

static void test_round_trip(void)
{
    char *dir = scratch_dir();
    TrainPlace a, b;
    train_place_init(&a, COUNT, BATCH, 77, 0xabcdu);
    rng_shuffle(&a.rng, a.order, COUNT);
    a.step = 123;
    a.epoch = 4;
    a.pos = 8;
    char *path = save(dir, &a, "place.ckpt");
    Ckpt c;
    Error err;
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, "t", &err), 0);
    int batch, count;
    uint64_t seed;
    uint32_t crc;
    CU_ASSERT_EQUAL(train_place_peek(&c, &batch, &count, &seed, &crc, &err),
                    0);
    CU_ASSERT_EQUAL(batch, BATCH);
    CU_ASSERT_EQUAL(count, COUNT);
    CU_ASSERT_EQUAL(seed, 77);
    CU_ASSERT_EQUAL(crc, 0xabcdu);
    train_place_init(&b, COUNT, BATCH, 1, 0);
    CU_ASSERT_EQUAL(train_place_ckpt_read(&c, &b, &err), 0);
    CU_ASSERT_EQUAL(memcmp(a.order, b.order, sizeof(int) * COUNT), 0);
    CU_ASSERT_EQUAL(b.step, 123);
    CU_ASSERT_EQUAL(b.epoch, 4);
    CU_ASSERT_EQUAL(b.pos, 8);
    CU_ASSERT_EQUAL(rng_u64(&a.rng), rng_u64(&b.rng));
    ckpt_free(&c);

    /* another batch size is refused */
    TrainPlace other;
    train_place_init(&other, COUNT, BATCH + 1, 1, 0);
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, "t", &err), 0);
    CU_ASSERT_EQUAL(train_place_ckpt_read(&c, &other, &err), -1);
    ASSERT_CONTAINS(err.msg, "was saved with batch 4 and 10 images, not 5");
    ckpt_free(&c);

    /* an order naming an image that is not in use is refused */
    a.order[3] = COUNT;
    free(path);
    path = save(dir, &a, "bad-order.ckpt");
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, "t", &err), 0);
    CU_ASSERT_EQUAL(train_place_ckpt_read(&c, &b, &err), -1);
    ASSERT_CONTAINS(err.msg, "its data order names image 10 of 10");
    ckpt_free(&c);

    /* absurd counters are refused */
    a.order[3] = 0;
    a.pos = COUNT + 1;
    free(path);
    path = save(dir, &a, "bad-pos.ckpt");
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, "t", &err), 0);
    CU_ASSERT_EQUAL(train_place_peek(&c, &batch, &count, &seed, &crc, &err),
                    -1);
    ASSERT_CONTAINS(err.msg, "its progress record is absurd");
    ckpt_free(&c);
    train_place_free(&a);
    train_place_free(&b);
    train_place_free(&other);
    remove_tree(dir);
    free(path);
    free(dir);
}

static void test_data_crc(void)
{
    /* the CRC-32 of "123456789" is 0xcbf43926; in two parts, the same */
    CU_ASSERT_EQUAL(train_data_crc(0, "123456789", 9), 0xcbf43926u);
    CU_ASSERT_EQUAL(train_data_crc(train_data_crc(0, "1234", 4), "56789", 5),
                    0xcbf43926u);
}

void suite_trainplace(void)
{
    CU_pSuite s = CU_add_suite("trainplace", NULL, NULL);
    CU_add_test(s, "round trip; other batch, bad order, absurd counters",
                test_round_trip);
    CU_add_test(s, "data CRC-32, whole or in parts", test_data_crc);
}

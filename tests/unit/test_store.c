/* Unit tests of the store's own checks on a real SQLite store in a temporary folder: every
 * statement is prepared at open and must return the columns its reader reads. */
#include "check_main.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "store_impl.h"

static char dir[64];
static struct store *db;

static void setup(void)
{
	char path[128], *err = NULL;
	strcpy(dir, "/tmp/agora-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/agora.db", dir);
	db = store_open(path, &err);
	ck_assert_msg(db != NULL, "store_open: %s", err ? err : "?");
	ck_assert_ptr_null(err);
}

static void teardown(void)
{
	char cmd[128];
	store_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* setup opened it: every statement of the table prepared and matched its reader. */
START_TEST(a_new_store_opens_with_every_statement_checked)
{
	ck_assert_int_eq(store_ping(db), STORE_OK);
}
END_TEST

START_TEST(a_statement_with_as_many_columns_as_its_reader_passes)
{
	char *err = NULL;
	ck_assert_int_eq(store_check_statement(db, "PAIR", "SELECT 1, 2", 2, &err), STORE_OK);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(store_check_statement(db, "WRITE", "DELETE FROM settings WHERE key=?1", 0, &err),
			 STORE_OK);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(store_check_statement(db, "BOARD_BY_SLUG", BOARD_SELECT " WHERE b.slug=?1", BOARD_NCOLS,
					       &err),
			 STORE_OK);
	ck_assert_ptr_null(err);
}
END_TEST

START_TEST(a_select_edited_without_its_reader_is_refused_by_name)
{
	char *err = NULL, sql[2048];
	/* a column added to the SELECT, the reader left as it was */
	const char *columns = BOARD_SELECT;
	snprintf(sql, sizeof sql, "SELECT b.created_at,%s WHERE b.slug=?1", columns + strlen("SELECT "));
	ck_assert_int_eq(store_check_statement(db, "BOARD_BY_SLUG", sql, BOARD_NCOLS, &err), STORE_ERROR);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, "statement BOARD_BY_SLUG returns 20 columns, but its reader reads 19"), "%s", err);
	free(err);
	err = NULL;
	ck_assert_int_eq(store_check_statement(db, "WRITE", "DELETE FROM settings WHERE key=?1", 1, &err),
			 STORE_ERROR);
	ck_assert_msg(err && strstr(err, "statement WRITE returns 0 columns"), "%s", err ? err : "(none)");
	free(err);
}
END_TEST

START_TEST(a_statement_that_does_not_prepare_is_refused_by_name)
{
	char *err = NULL;
	ck_assert_int_eq(store_check_statement(db, "BROKEN", "SELECT nope FROM nowhere", 1, &err), STORE_ERROR);
	ck_assert_msg(err && strstr(err, "statement BROKEN does not prepare: no such table: nowhere"), "%s",
		      err ? err : "(none)");
	free(err);
}
END_TEST

/* The shared layouts read exactly the columns their fragments select. */
START_TEST(shared_readers_read_as_many_columns_as_their_fragments)
{
	ck_assert_int_eq(sql_row_width(&sql_term_row), TERM_NCOLS);
	ck_assert_int_eq(sql_row_width(&sql_user_row), USER_NCOLS);
	ck_assert_int_eq(sql_row_width(&sql_thread_row), THREAD_NCOLS);
	ck_assert_int_eq(sql_row_width(&sql_post_row), POST_NCOLS);
	ck_assert_int_eq(sql_row_width(&sql_text_row), 1);
}
END_TEST

/* How many rows of thing_fts match q (an FTS5 expression of our own). */
static int things_matching(const char *q)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db->db, "SELECT count(*) FROM thing_fts WHERE thing_fts MATCH ?1", -1, &st,
					    NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void exec_ok(const char *sql)
{
	char *err = NULL;
	ck_assert_msg(sqlite3_exec(db->db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql, err ? err : "?");
}

/* The triggers of migration 24 follow every write of a material: no path of agorad edits or
 * deletes one yet, so the store is written directly. */
START_TEST(the_search_index_follows_a_materials_edits_and_deletion)
{
	exec_ok("INSERT INTO users(id,username,display_name,pw_hash,role,created_at) VALUES(1,'l','L','x','lecturer',0);"
		"INSERT INTO boards(id,slug,title,created_at) VALUES(1,'b','B',0);"
		"INSERT INTO materials(id,title,description,description_html,board_id,uploader_id,created_at)"
		" VALUES(7,'春耕讲义','','<p>农技站 <em>handout</em></p>',1,1,0);"
		"INSERT INTO material_versions(material_id,version,sha256,filename,content_type,size,uploader_id,created_at)"
		" VALUES(7,1,'00','植保.pdf','application/pdf',1,1,0);");
	ck_assert_int_eq(things_matching("\"讲义\" AND \"handout\" AND \"植保\""), 1);
	exec_ok("UPDATE materials SET title='秋收要点' WHERE id=7");
	ck_assert_int_eq(things_matching("\"讲义\""), 0);
	ck_assert_int_eq(things_matching("\"秋收\" AND \"植保\""), 1);
	exec_ok("DELETE FROM material_versions WHERE material_id=7");
	ck_assert_int_eq(things_matching("\"植保\""), 0);
	exec_ok("DELETE FROM materials WHERE id=7");
	ck_assert_int_eq(things_matching("\"秋收\""), 0);
	exec_ok("INSERT INTO thing_fts(thing_fts, rank) VALUES('integrity-check', 1)");
}
END_TEST

static const struct unit_tcase store_cases[] = {
	{.name = "statements", .tests = UNIT_TESTS(&a_new_store_opens_with_every_statement_checked,
					  &a_statement_with_as_many_columns_as_its_reader_passes,
					  &a_select_edited_without_its_reader_is_refused_by_name,
					  &a_statement_that_does_not_prepare_is_refused_by_name,
					  &shared_readers_read_as_many_columns_as_their_fragments,
					  &the_search_index_follows_a_materials_edits_and_deletion), .setup = setup, .teardown = teardown},
};

UNIT_SUITE(store, store_cases)

const struct unit_tests unit_tests = {.suites = {store_suite}};

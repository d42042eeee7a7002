/* Unit tests for pack: every pack is read back with libzip (names, bytes, methods, the index
 * page), its headers are read raw for the UTF-8 flag, and Python's zipfile must read it too
 * (python3 is one of agora.sh's packages). */
#include "check_main.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "pack.h"

#define MTIME 1764059400 /* 2025-11-25 */
#define BIG (3 * 1024 * 1024 + 17)

static char dir[64];

static void make_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/agora-pack-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Removes the files the test made and the folder, which must then be empty (no temp left). */
static void remove_dir(const char *const *names, size_t n)
{
	char path[128];
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	ck_assert_msg(rmdir(dir) == 0, "%s is not empty", dir);
}

/* Bytes that deflate cannot guess (xorshift), len of them, malloc'd. */
static unsigned char *noise(size_t len)
{
	unsigned char *p = malloc(len);
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		p[i] = (unsigned char)x;
	}
	return p;
}

static void write_file(const char *name, const void *data, size_t len, char path[128])
{
	snprintf(path, 128, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* The bytes of entry i of z, malloc'd, with their length. */
static char *entry_bytes(zip_t *z, zip_uint64_t i, size_t *len)
{
	zip_stat_t st;
	ck_assert_int_eq(zip_stat_index(z, i, 0, &st), 0);
	char *data = malloc(st.size + 1);
	zip_file_t *f = zip_fopen_index(z, i, 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(zip_fread(f, data, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	data[st.size] = '\0';
	*len = st.size;
	return data;
}

static zip_t *open_fd(int fd)
{
	int err = 0;
	zip_t *z = zip_fdopen(dup(fd), ZIP_CHECKCONS, &err);
	ck_assert_msg(z != NULL, "libzip error %d", err);
	return z;
}

static const char *const index_parts[] = {
	"<html lang=\"zh-CN\">", "<title>基层治理 &lt;培训班&gt;</title>", "<h1>基层治理 &lt;培训班&gt;</h1>",
	"<p>2025 年 11 月 &amp; 12 月</p>", "<h2>第一讲</h2>", "<h2>第二讲</h2>", "<th>标题</th>",
	"<td>讲义 &quot;一&quot;</td>", "<a href=\"%E8%AE%B2%E4%B9%89.pdf\">讲义.pdf</a>",
	"<a href=\"%E8%AE%B2%E4%B9%89%20%282%29.pdf\">讲义 (2).pdf</a>", "data-bytes=\"3145745\">3.0 MB</td>",
	"data-bytes=\"21\">21 B</td>", "<a href=\"notes_x.txt\">notes_x.txt</a>"};

static const struct pack_index ix = {.title = "基层治理 <培训班>", .lang = "zh-CN", .intro = "2025 年 11 月 & 12 月",
				     .col_title = "标题", .mtime = MTIME};

/* The four entries of pack_reads_back: names, methods, times and modes. */
static void check_entries(zip_t *z)
{
	const char *names[] = {"index.html", "讲义.pdf", "讲义 (2).pdf", "notes_x.txt"};
	const zip_uint16_t methods[] = {ZIP_CM_DEFLATE, ZIP_CM_STORE, ZIP_CM_STORE, ZIP_CM_DEFLATE};
	for (zip_uint64_t i = 0; i < 4; i++) {
		zip_stat_t zs;
		ck_assert_int_eq(zip_stat_index(z, i, 0, &zs), 0);
		ck_assert_str_eq(zs.name, names[i]);
		ck_assert_int_eq(zs.comp_method, methods[i]);
		ck_assert(zs.mtime == MTIME || (i == 2 && zs.mtime == MTIME - 86400));
		zip_uint8_t os = 0;
		zip_uint32_t attr = 0;
		ck_assert_int_eq(zip_file_get_external_attributes(z, i, 0, &os, &attr), 0);
		ck_assert_int_eq(os, ZIP_OPSYS_UNIX);
		ck_assert_uint_eq(attr >> 16, 0100644);
	}
}

START_TEST(pack_reads_back)
{
	make_dir();
	unsigned char *big = noise(BIG);
	char pdf[128];
	write_file("blob1", big, BIG, pdf);
	const char text[] = "要点：一、二、三\n";
	static const char plain[] = "plain text, deflated\n";
	struct pack_entry e[] = {
		{.name = "讲义.pdf", .title = "讲义 \"一\"", .section = "第一讲", .path = pdf},
		{.name = "讲义.pdf", .section = "第一讲", .data = text, .len = sizeof text - 1, .mtime = MTIME - 86400},
		{.name = "notes/x.txt", .section = "第二讲", .data = plain, .len = sizeof plain - 1},
	};
	int64_t size = 0;
	char err[PACK_ERR_MAX];
	int fd = pack_write_temp(dir, &ix, e, UNIT_COUNT(e), &size, err);
	ck_assert_msg(fd >= 0, "%s", err);
	struct stat st;
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_size, size);
	ck_assert_int_eq(st.st_nlink, 0); /* already unlinked: nothing to clean up */
	zip_t *z = open_fd(fd);
	ck_assert_int_eq(zip_get_num_entries(z, 0), 4);
	check_entries(z);
	size_t len;
	char *got = entry_bytes(z, 1, &len);
	ck_assert_uint_eq(len, BIG);
	ck_assert(memcmp(got, big, BIG) == 0);
	free(got);
	got = entry_bytes(z, 2, &len);
	ck_assert_str_eq(got, text);
	free(got);
	got = entry_bytes(z, 0, &len);
	UNIT_CHECK_HAS(got, index_parts);
	free(got);
	zip_close(z);
	close(fd);
	free(big);
	remove_dir((const char *[]){"blob1"}, 1);
}
END_TEST

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Walks the raw headers of the zip in data: counts in *seen every local (PK\3\4) and central
 * (PK\1\2) header, and returns how many of those of a non-ASCII name lack general purpose
 * bit 11 (UTF-8). clear: first clears the bit, to show that the walk does see it. */
static int unflagged(unsigned char *data, size_t len, int clear, int *seen)
{
	int bad = 0;
	*seen = 0;
	for (size_t i = 0; i + 46 <= len; i++) {
		int local = memcmp(data + i, "PK\3\4", 4) == 0, central = memcmp(data + i, "PK\1\2", 4) == 0;
		if (!local && !central)
			continue;
		unsigned char *flags = data + i + (local ? 6 : 8);
		uint16_t name_len = le16(data + i + (local ? 26 : 28));
		const unsigned char *name = data + i + (local ? 30 : 46);
		if (clear)
			flags[1] &= (unsigned char)~0x08;
		int ascii = 1;
		for (uint16_t k = 0; k < name_len; k++)
			ascii &= name[k] < 0x80;
		bad += !ascii && !(le16(flags) & 0x800);
		(*seen)++;
	}
	return bad;
}

/* Writes a pack of the given names (tiny text bodies) to DIR/out.zip. */
static void pack_names(const char *const *names, size_t n, const char *out)
{
	struct pack_entry e[16] = {{0}};
	ck_assert_uint_le(n, UNIT_COUNT(e));
	for (size_t i = 0; i < n; i++)
		e[i] = (struct pack_entry){.name = names[i], .data = names[i] != NULL ? names[i] : "", .len = 1};
	char err[PACK_ERR_MAX];
	ck_assert_msg(pack_write(out, &ix, e, n, err) == 0, "%s", err);
}

static const char *const messy[] = {"讲义.pdf", "讲义.PDF", "讲义.pdf", "../../etc/passwd", "..", "a\x01" "b\x7f.txt",
				    "index.html", "CON.txt", "\xe2\x80\xae" "exe.pdf", " 会议 纪要 . ", NULL};
static const char *const tidy[] = {"index.html", "讲义.pdf", "讲义 (2).PDF", "讲义 (3).pdf", "_.._etc_passwd",
				   "file", "ab.txt", "index (2).html", "_CON.txt", "exe.pdf", "会议 纪要", "file (2)"};

START_TEST(names_are_flagged_and_unique)
{
	make_dir();
	char out[128];
	snprintf(out, sizeof out, "%s/out.zip", dir);
	pack_names(messy, UNIT_COUNT(messy), out);
	int err = 0;
	zip_t *z = zip_open(out, ZIP_RDONLY, &err);
	ck_assert_ptr_nonnull(z);
	ck_assert_int_eq(zip_get_num_entries(z, 0), UNIT_COUNT(tidy));
	for (zip_uint64_t i = 0; i < UNIT_COUNT(tidy); i++)
		ck_assert_str_eq(zip_get_name(z, i, ZIP_FL_ENC_RAW), tidy[i]);
	zip_close(z);
	FILE *f = fopen(out, "rb");
	unsigned char raw[1 << 16];
	size_t len = fread(raw, 1, sizeof raw, f);
	fclose(f);
	int seen = 0;
	ck_assert_int_eq(unflagged(raw, len, 0, &seen), 0);
	ck_assert_int_eq(seen, 2 * (int)UNIT_COUNT(tidy));
	ck_assert_int_eq(unflagged(raw, len, 1, &seen), 2 * 4); /* 4 names are not ASCII */
	remove_dir((const char *[]){"out.zip"}, 1);
}
END_TEST

static int ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

START_TEST(python_zipfile_reads_it)
{
	make_dir();
	char out[128], cmd[512];
	snprintf(out, sizeof out, "%s/out.zip", dir);
	pack_names(messy, UNIT_COUNT(messy), out);
	/* zipfile decodes a name as UTF-8 only when bit 11 says so (else as CP437). */
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import sys, zipfile\n"
		 "z = zipfile.ZipFile(sys.argv[1])\n"
		 "assert z.testzip() is None\n"
		 "for i in z.infolist(): print(i.filename, i.flag_bits & 0x800)' %s",
		 out);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char line[256];
	for (size_t i = 0; i < UNIT_COUNT(tidy); i++) {
		ck_assert_ptr_nonnull(fgets(line, sizeof line, p));
		char flagged[256], plain[256];
		snprintf(flagged, sizeof flagged, "%s 2048\n", tidy[i]);
		snprintf(plain, sizeof plain, "%s 0\n", tidy[i]);
		/* Non-ASCII names must be flagged; for ASCII ones the flag changes nothing. */
		ck_assert_msg(strcmp(line, flagged) == 0 || (ascii(tidy[i]) && strcmp(line, plain) == 0),
			      "python read %s", line);
	}
	ck_assert_ptr_null(fgets(line, sizeof line, p));
	ck_assert_int_eq(pclose(p), 0);
	remove_dir((const char *[]){"out.zip"}, 1);
}
END_TEST

static const struct unit_str_case clean_cases[] = {
	{"讲义.pdf", "讲义.pdf"},
	{"a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"},
	{"..", "file"},
	{".", "file"},
	{"", "file"},
	{"...hidden", "hidden"},
	{"trailing. . .", "trailing"},
	{"tab\tand\nnewline", "tabandnewline"},
	{"c1\xc2\x85.txt", "c1.txt"},
	{"bad\xff\xfe.txt", "bad__.txt"},
	{"cut\xe8\xae", "cut__"},
	{"nul.tar.gz", "_nul.tar.gz"},
	{"com1", "_com1"},
	{"COM10.txt", "COM10.txt"},
	{"console.txt", "console.txt"},
	{"lpt9.doc", "_lpt9.doc"},
	{"\xe2\x81\xa6rtl\xe2\x80\x8f.txt", "rtl.txt"},
};

static const char *clean_static(const char *in)
{
	static char out[PACK_NAME_MAX + 1];
	char *s = pack_clean_name(in);
	snprintf(out, sizeof out, "%s", s);
	free(s);
	return out;
}

START_TEST(clean_name_cases)
{
	UNIT_CHECK_STRINGS(clean_static, clean_cases);
	char *s = pack_clean_name(NULL);
	ck_assert_str_eq(s, "file");
	free(s);
}
END_TEST

START_TEST(long_names_cut_between_characters)
{
	char name[1024] = "";
	for (int i = 0; i < 100; i++)
		strcat(name, "讲");
	strcat(name, ".pptx");
	char *s = pack_clean_name(name);
	size_t len = strlen(s);
	ck_assert_uint_le(len, PACK_NAME_MAX);
	ck_assert_uint_eq(len, 195 + 5); /* 65 whole characters, then the extension */
	ck_assert_str_eq(s + len - 5, ".pptx");
	ck_assert_int_eq(strncmp(s, name, 195), 0);
	/* The numbered twin is cut further so that it fits too. */
	const char *twins[] = {name, name};
	make_dir();
	char out[128];
	snprintf(out, sizeof out, "%s/out.zip", dir);
	pack_names(twins, 2, out);
	int err = 0;
	zip_t *z = zip_open(out, ZIP_RDONLY, &err);
	const char *second = zip_get_name(z, 2, 0);
	ck_assert_uint_le(strlen(second), PACK_NAME_MAX);
	ck_assert_str_eq(second + strlen(second) - 9, " (2).pptx");
	ck_assert_int_eq(strncmp(second, name, strlen(second) - 9), 0);
	zip_close(z);
	free(s);
	remove_dir((const char *[]){"out.zip"}, 1);
}
END_TEST

START_TEST(missing_file_fails_cleanly)
{
	make_dir();
	struct pack_entry e[] = {{.name = "a.txt", .data = "a", .len = 1}, {.name = "b.pdf", .path = "/nonexistent/blob"}};
	char err[PACK_ERR_MAX];
	int64_t size = -1;
	ck_assert_int_eq(pack_write_temp(dir, &ix, e, 2, &size, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/blob"));
	ck_assert_int_eq(size, -1);
	e[1].path = dir; /* a folder is not a file */
	ck_assert_int_eq(pack_write_temp(dir, &ix, e, 2, &size, NULL), -1);
	ck_assert_int_eq(pack_write_temp("/nonexistent", &ix, e, 1, &size, err), -1);
	remove_dir(NULL, 0);
}
END_TEST

START_TEST(empty_pack_has_its_index)
{
	make_dir();
	struct pack_index bare = {.mtime = MTIME};
	int64_t size = 0;
	int fd = pack_write_temp(dir, &bare, NULL, 0, &size, NULL);
	ck_assert_int_ge(fd, 0);
	zip_t *z = open_fd(fd);
	ck_assert_int_eq(zip_get_num_entries(z, 0), 1);
	size_t len;
	char *html = entry_bytes(z, 0, &len);
	const char *parts[] = {"<html lang=\"en\">", "<h1>index.html</h1>", "</body>\n</html>\n"};
	UNIT_CHECK_HAS(html, parts);
	ck_assert_ptr_null(strstr(html, "<table>"));
	free(html);
	zip_close(z);
	close(fd);
	remove_dir(NULL, 0);
}
END_TEST

static const struct unit_tcase pack_cases[] = {
	{.name = "pack",
	 .tests = UNIT_TESTS(&pack_reads_back, &names_are_flagged_and_unique, &python_zipfile_reads_it,
			     &clean_name_cases, &long_names_cut_between_characters,
			     &missing_file_fails_cleanly, &empty_pack_has_its_index),
	 .timeout = 30},
};

UNIT_SUITE(pack, pack_cases)

const struct unit_tests unit_tests = {.suites = {pack_suite}};

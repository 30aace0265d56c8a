// SPDX-License-Identifier: GPL-2.0
/*
 * buddyview: the buddy allocator of the myslab module, seen from debugfs.
 * Reads the page map (and, beside it, the free_blocks and extfrag files),
 * prints the per-order free-block table with the kernel's fragmentation
 * indices and a terminal rendering of the region, and draws it as PNG or
 * SVG. Exit statuses: exit_status.h.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "frag.h"
#include "output.h"
#include "pagemap.h"
#include "term.h"

#ifndef BUDDYVIEW_VERSION
#define BUDDYVIEW_VERSION "unknown"
#endif

#define DEFAULT_DIR	"/sys/kernel/debug/myslab/buddy"

enum colour_mode { COLOUR_AUTO, COLOUR_ALWAYS, COLOUR_NEVER };

struct options {
	const char *dir;	/* where page_map and its neighbours are */
	const char *map;	/* the page map; NULL: <dir>/page_map */
	bool table, render, quiet, check;
	enum colour_mode colour;
	struct term_options term;
	const char *png, *svg, *title;
	unsigned int cell;
};

enum exit_status fail(enum exit_status status, const char *fmt, ...)
{
	va_list ap;

	fputs("buddyview: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

void warn(const char *fmt, ...)
{
	va_list ap;

	fputs("buddyview: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: buddyview [OPTIONS] [PAGE_MAP]\n"
		"\n"
		"Show the myslab buddy allocator's region: free blocks per order with the\n"
		"kernel's fragmentation indices, a map of every page, and pictures.\n"
		"\n"
		"Input:\n"
		"  PAGE_MAP               a page map file ('-': standard input); default\n"
		"                         DIR/page_map\n"
		"  -d, --dir DIR          the module's debugfs directory, or a directory of\n"
		"                         files captured from it (default %s);\n"
		"                         its free_blocks, extfrag_unusable and extfrag_index,\n"
		"                         when present, are checked against the page map\n"
		"      --no-check         do not compare with those files\n"
		"Output (default: --table --render):\n"
		"  -t, --table            the per-order table and fragmentation indices\n"
		"  -r, --render           the map, one character per group of pages\n"
		"  -w, --width N          characters per row of the map (default 64)\n"
		"  -g, --group N          pages per character (default: fit in 32 rows)\n"
		"      --color[=WHEN]     colour the map: auto (a terminal), always, never\n"
		"      --png FILE         draw the region as a PNG picture%s\n"
		"      --svg FILE         draw the region as an SVG picture\n"
		"      --cell N           pixels per page in pictures (default: about 768\n"
		"                         pixels wide)\n"
		"      --title TEXT       words to add to the picture's title\n"
		"  -q, --quiet            neither table nor map (with --png/--svg)\n"
		"  -h, --help             this help\n"
		"  -V, --version          the version\n"
		"\n"
		"Exit status: 0 done, 1 bad usage, 2 a file is missing (module not loaded or\n"
		"debugfs not mounted?), 3 permission denied (run as root), 4 a file is\n"
		"malformed, 5 an I/O or memory error.\n",
		DEFAULT_DIR, png_available() ? "" : " (not built in)");
}

static enum exit_status usage_error(const char *fmt, const char *arg)
{
	fputs("buddyview: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	usage(stderr);
	return EXIT_USAGE;
}

static int parse_count(const char *s, unsigned long max, unsigned long *val)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*val = strtoul(s, &end, 10);
	return errno || *end || !*val || *val > max ? -1 : 0;
}

static enum exit_status parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_PNG = 256, OPT_SVG, OPT_CELL, OPT_TITLE, OPT_COLOUR, OPT_NO_CHECK };
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "table", no_argument, NULL, 't' },
		{ "render", no_argument, NULL, 'r' },
		{ "width", required_argument, NULL, 'w' },
		{ "group", required_argument, NULL, 'g' },
		{ "color", optional_argument, NULL, OPT_COLOUR },
		{ "colour", optional_argument, NULL, OPT_COLOUR },
		{ "png", required_argument, NULL, OPT_PNG },
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "cell", required_argument, NULL, OPT_CELL },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "no-check", no_argument, NULL, OPT_NO_CHECK },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long val;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:trw:g:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->dir = optarg;
			break;
		case 't':
			o->table = true;
			break;
		case 'r':
			o->render = true;
			break;
		case 'w':
			if (parse_count(optarg, 1024, &val))
				return usage_error("--width wants 1 to 1024, not '%s'", optarg);
			o->term.width = (unsigned int)val;
			break;
		case 'g':
			if (parse_count(optarg, 1UL << 32, &val) || (val & (val - 1)))
				return usage_error("--group wants a power of two, not '%s'", optarg);
			o->term.group = val;
			break;
		case OPT_COLOUR:
			if (!optarg || !strcmp(optarg, "always"))
				o->colour = COLOUR_ALWAYS;
			else if (!strcmp(optarg, "never"))
				o->colour = COLOUR_NEVER;
			else if (!strcmp(optarg, "auto"))
				o->colour = COLOUR_AUTO;
			else
				return usage_error("--color wants auto, always or never, not '%s'",
						   optarg);
			break;
		case OPT_PNG:
			o->png = optarg;
			break;
		case OPT_SVG:
			o->svg = optarg;
			break;
		case OPT_CELL:
			if (parse_count(optarg, 32, &val))
				return usage_error("--cell wants 1 to 32 pixels, not '%s'", optarg);
			o->cell = (unsigned int)val;
			break;
		case OPT_TITLE:
			o->title = optarg;
			break;
		case OPT_NO_CHECK:
			o->check = false;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case 'V':
			printf("buddyview %s\n", BUDDYVIEW_VERSION);
			exit(EXIT_OK);
		case ':':
			return usage_error("%s needs an argument", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc - 1)
		return usage_error("one page map at most, '%s' is one too many", argv[optind + 1]);
	if (optind == argc - 1)
		o->map = argv[optind];
	if (o->quiet && (o->table || o->render))
		return usage_error("%s: --quiet with --table or --render", "options");
	if (o->png && !png_available())
		return usage_error("--png %s: built without libpng, use --svg", o->png);
	if (!o->quiet && !o->table && !o->render) {
		o->table = true;
		o->render = true;
	}
	return EXIT_OK;
}

/* Open a file of the module, saying what a failure probably means. */
static enum exit_status open_input(const char *path, FILE **f)
{
	if (!strcmp(path, "-")) {
		*f = stdin;
		return EXIT_OK;
	}
	*f = fopen(path, "r");
	if (*f)
		return EXIT_OK;
	switch (errno) {
	case ENOENT:
	case ENOTDIR:
		return fail(EXIT_NOT_LOADED,
			    "%s: %s (module not loaded or debugfs not mounted?)",
			    path, strerror(errno));
	case EACCES:
	case EPERM:
		return fail(EXIT_NEED_ROOT, "%s: %s (page_map is readable by root only)",
			    path, strerror(errno));
	default:
		return fail(EXIT_RUNTIME_ERROR, "%s: %s", path, strerror(errno));
	}
}

/* The directory a page map's neighbours are in. */
static const char *neighbours(const struct options *o, char *buf, size_t size)
{
	const char *slash;

	if (!o->map)
		return o->dir;
	if (!strcmp(o->map, "-"))
		return NULL;
	slash = strrchr(o->map, '/');
	if (!slash)
		return ".";
	snprintf(buf, size, "%.*s", (int)(slash - o->map), o->map);
	return buf[0] ? buf : "/";
}

static unsigned int terminal_width(void)
{
	struct winsize ws;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col > 20)
		return ws.ws_col;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = {
		.dir = DEFAULT_DIR,
		.check = true,
		.term = { .width = 64, .max_rows = 32 },
	};
	char path[PATH_MAX], dirbuf[PATH_MAX];
	enum exit_status status;
	struct page_map map;
	struct frag frag;
	const char *dir;
	unsigned int cols;
	FILE *f;

	status = parse_options(argc, argv, &o);
	if (status != EXIT_OK)
		return status;
	if (!o.map) {
		snprintf(path, sizeof(path), "%s/page_map", o.dir);
		o.map = path;
	}
	status = open_input(o.map, &f);
	if (status != EXIT_OK)
		return status;
	status = page_map_read(f, o.map, &map);
	if (f != stdin)
		fclose(f);
	if (status != EXIT_OK)
		return status;

	frag_compute(&map, &frag);
	dir = neighbours(&o, dirbuf, sizeof(dirbuf));
	if (o.check && dir)
		frag_cross_check(dir, &map, &frag);
	if (o.table)
		frag_print_table(stdout, &map, &frag);
	if (o.render) {
		cols = terminal_width();
		if (cols && o.term.width + 10 > cols && cols > 30)
			o.term.width = cols - 10;
		o.term.colour = o.colour == COLOUR_ALWAYS ||
				(o.colour == COLOUR_AUTO && isatty(STDOUT_FILENO) &&
				 getenv("TERM") && strcmp(getenv("TERM"), "dumb"));
		if (o.table)
			putchar('\n');
		if (term_render(stdout, &map, &o.term))
			status = fail(EXIT_RUNTIME_ERROR, "out of memory");
	}
	if (status == EXIT_OK && o.svg)
		status = svg_write(o.svg, &map, o.cell, o.title);
	if (status == EXIT_OK && o.png)
		status = png_write(o.png, &map, o.cell, o.title);
	if (status == EXIT_OK && (fflush(stdout) || ferror(stdout)))
		status = fail(EXIT_RUNTIME_ERROR, "standard output: write error");
	page_map_free(&map);
	return status;
}

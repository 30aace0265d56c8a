// SPDX-License-Identifier: GPL-2.0
#include <curses.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "array_size.h"
#include "live.h"
#include "snapshot.h"
#include "text.h"

/* === Stopping on a signal === */

static volatile sig_atomic_t stop_requested;

static void request_stop(int signal)
{
	(void)signal;
	stop_requested = 1;
}

/*
 * Installed before curses starts, so that curses leaves them alone; without
 * SA_RESTART the wait in getch() ends with ERR and the loop sees the flag.
 */
static void stop_signals_catch(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction action = { .sa_handler = request_stop };
	size_t i;

	sigemptyset(&action.sa_mask);
	for (i = 0; i < ARRAY_SIZE(signals); i++)
		sigaction(signals[i], &action, NULL);
}

/* === Drawing === */

struct screen_sink {
	struct text_sink sink;		/* first: text_render() hands it back */
	int y;
};

static void screen_line(struct text_sink *sink, enum text_line_kind kind,
			const char *text)
{
	struct screen_sink *screen = (struct screen_sink *)sink;

	if (screen->y >= LINES)
		return;
	if (kind == TEXT_HEADINGS)
		attron(A_REVERSE);
	mvaddnstr(screen->y++, 0, text, COLS);
	if (kind == TEXT_HEADINGS)
		attroff(A_REVERSE);
}

/* As many rows as fit above the last line, which slabtop also leaves empty. */
static size_t rows_that_fit(void)
{
	return LINES > TEXT_HEADER_LINES + 1 ? (size_t)(LINES - TEXT_HEADER_LINES - 1) : 0;
}

/* Reads the files and draws one screen. */
static enum exit_status frame_draw(const struct options *view,
				   struct problem *problem)
{
	struct screen_sink screen = { { screen_line }, 0 };
	struct snapshot snap;
	enum exit_status status;

	status = snapshot_take(&snap, view, false, problem);
	if (status != EXIT_OK)
		return status;
	erase();
	text_render(&snap.slabinfo, &snap.summary, rows_that_fit(), &screen.sink);
	refresh();
	snapshot_release(&snap);
	return EXIT_OK;
}

/* === The loop === */

static int delay_milliseconds(double seconds)
{
	int ms = (int)(seconds * 1000 + 0.5);

	return ms > 0 ? ms : 1;
}

/* Until q, a signal or a read error; KEY_RESIZE and timeouts just redraw. */
static enum exit_status view_loop(struct options *view, struct problem *problem)
{
	enum exit_status status;

	timeout(delay_milliseconds(view->delay_seconds));
	while ((status = frame_draw(view, problem)) == EXIT_OK) {
		const struct sort_key *key;
		int ch = getch();

		if (stop_requested || ch == 'q' || ch == 'Q')
			break;
		key = sort_key_find(ch);
		if (key)
			view->sort = key;
	}
	return status;
}

/* A first read before curses starts, so a missing file is reported plainly. */
static enum exit_status files_check(const struct options *opts,
				    struct problem *problem)
{
	struct snapshot snap;
	enum exit_status status;

	status = snapshot_take(&snap, opts, false, problem);
	if (status == EXIT_OK)
		snapshot_release(&snap);
	return status;
}

enum exit_status live_run(const struct options *opts, struct problem *problem)
{
	struct options view = *opts;
	enum exit_status status;
	SCREEN *screen;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return problem_set(problem, EXIT_USAGE,
				   "the live view needs a terminal; use -o or --json in scripts");
	status = files_check(opts, problem);
	if (status != EXIT_OK)
		return status;
	stop_signals_catch();
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return problem_set(problem, EXIT_RUNTIME_ERROR,
				   "cannot drive the terminal (TERM=%s)",
				   getenv("TERM") ? getenv("TERM") : "unset");
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	status = view_loop(&view, problem);
	endwin();
	delscreen(screen);
	return status;
}

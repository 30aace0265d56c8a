/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: circular doubly linked lists with a sentinel head, the
 * interface of the kernel's <linux/list.h> (written for this project).
 *
 * Like CONFIG_DEBUG_LIST, every insertion and removal first checks that the
 * neighbours point back where they should; on a mismatch it reports a
 * "list_add corruption" / "list_del corruption" WARNING (counted, so the test
 * fails) and leaves the list alone. Removed entries are poisoned so that a
 * second removal or a walk through a removed entry is caught.
 */
#ifndef _SIM_LINUX_LIST_H
#define _SIM_LINUX_LIST_H

#include <stddef.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/bug.h>

#define LIST_POISON1	((struct list_head *)0x100)
#define LIST_POISON2	((struct list_head *)0x122)

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *head)
{
	WRITE_ONCE(head->next, head);
	head->prev = head;
}

static inline bool sim_list_link_ok(struct list_head *new,
				    struct list_head *prev,
				    struct list_head *next)
{
	return !WARN(prev->next != next || next->prev != prev ||
		     new == prev || new == next,
		     "list_add corruption: inserting %p between %p (next %p) and %p (prev %p)",
		     (void *)new, (void *)prev, (void *)prev->next,
		     (void *)next, (void *)next->prev);
}

static inline bool sim_list_unlink_ok(struct list_head *entry)
{
	struct list_head *prev = entry->prev, *next = entry->next;

	if (WARN(next == LIST_POISON1 || prev == LIST_POISON2,
		 "list_del corruption: %p already removed", (void *)entry))
		return false;
	return !WARN(prev->next != entry || next->prev != entry,
		     "list_del corruption: %p: prev %p points to %p, next %p points back to %p",
		     (void *)entry, (void *)prev, (void *)prev->next,
		     (void *)next, (void *)next->prev);
}

/* Link @new between two adjacent entries. */
static inline void sim_list_link(struct list_head *new, struct list_head *prev,
				 struct list_head *next)
{
	if (!sim_list_link_ok(new, prev, next))
		return;
	next->prev = new;
	new->next = next;
	new->prev = prev;
	WRITE_ONCE(prev->next, new);
}

static inline bool sim_list_unlink(struct list_head *entry)
{
	if (!sim_list_unlink_ok(entry))
		return false;
	entry->next->prev = entry->prev;
	WRITE_ONCE(entry->prev->next, entry->next);
	return true;
}

/* Insert right after @head (stack order). */
static inline void list_add(struct list_head *new, struct list_head *head)
{
	sim_list_link(new, head, head->next);
}

/* Insert right before @head (queue order). */
static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	sim_list_link(new, head->prev, head);
}

static inline void list_del(struct list_head *entry)
{
	if (sim_list_unlink(entry)) {
		entry->next = LIST_POISON1;
		entry->prev = LIST_POISON2;
	}
}

static inline void list_del_init(struct list_head *entry)
{
	if (sim_list_unlink(entry))
		INIT_LIST_HEAD(entry);
}

static inline void list_move(struct list_head *entry, struct list_head *head)
{
	if (sim_list_unlink(entry))
		list_add(entry, head);
}

static inline void list_move_tail(struct list_head *entry,
				  struct list_head *head)
{
	if (sim_list_unlink(entry))
		list_add_tail(entry, head);
}

static inline void list_replace(struct list_head *old, struct list_head *new)
{
	new->next = old->next;
	new->next->prev = new;
	new->prev = old->prev;
	new->prev->next = new;
}

static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

static inline bool list_is_singular(const struct list_head *head)
{
	return !list_empty(head) && head->next == head->prev;
}

static inline bool list_is_first(const struct list_head *entry,
				 const struct list_head *head)
{
	return entry->prev == head;
}

static inline bool list_is_last(const struct list_head *entry,
				const struct list_head *head)
{
	return entry->next == head;
}

static inline bool list_is_head(const struct list_head *entry,
				const struct list_head *head)
{
	return entry == head;
}

/* Move every entry of @list to the front of @head; @list becomes empty. */
static inline void list_splice_init(struct list_head *list,
				    struct list_head *head)
{
	struct list_head *first = list->next, *last = list->prev;

	if (list_empty(list))
		return;
	first->prev = head;
	last->next = head->next;
	head->next->prev = last;
	head->next = first;
	INIT_LIST_HEAD(list);
}

static inline void list_splice_tail_init(struct list_head *list,
					 struct list_head *head)
{
	struct list_head *first = list->next, *last = list->prev;

	if (list_empty(list))
		return;
	first->prev = head->prev;
	head->prev->next = first;
	last->next = head;
	head->prev = last;
	INIT_LIST_HEAD(list);
}

static inline size_t list_count_nodes(struct list_head *head)
{
	struct list_head *pos;
	size_t n = 0;

	for (pos = head->next; pos != head; pos = pos->next)
		n++;
	return n;
}

#define list_entry(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)
#define list_last_entry(head, type, member) \
	list_entry((head)->prev, type, member)
#define list_first_entry_or_null(head, type, member) ({		\
	struct list_head *__head = (head);				\
	struct list_head *__pos = READ_ONCE(__head->next);		\
	__pos != __head ? list_entry(__pos, type, member) : NULL; })

/*
 * The iterators reach the list head through a fake entry (the head's
 * address minus the member offset), as the kernel's do. They never access a
 * member through that fake entry: it is computed as a byte offset, so the
 * sanitizers see no access of a misaligned or out-of-bounds object.
 */
#define sim_list_member(pos, member) \
	((struct list_head *)((char *)(pos) + offsetof(typeof(*(pos)), member)))
#define list_next_entry(pos, member) \
	list_entry(sim_list_member(pos, member)->next, typeof(*(pos)), member)
#define list_prev_entry(pos, member) \
	list_entry(sim_list_member(pos, member)->prev, typeof(*(pos)), member)
#define list_entry_is_head(pos, head, member) \
	(sim_list_member(pos, member) == (head))

#define list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)
#define list_for_each_safe(pos, n, head)				\
	for ((pos) = (head)->next, (n) = (pos)->next; (pos) != (head);	\
	     (pos) = (n), (n) = (pos)->next)
#define list_for_each_entry(pos, head, member)				\
	for ((pos) = list_first_entry(head, typeof(*(pos)), member);	\
	     !list_entry_is_head(pos, head, member);			\
	     (pos) = list_next_entry(pos, member))
#define list_for_each_entry_reverse(pos, head, member)			\
	for ((pos) = list_last_entry(head, typeof(*(pos)), member);	\
	     !list_entry_is_head(pos, head, member);			\
	     (pos) = list_prev_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for ((pos) = list_first_entry(head, typeof(*(pos)), member),	\
	     (n) = list_next_entry(pos, member);			\
	     !list_entry_is_head(pos, head, member);			\
	     (pos) = (n), (n) = list_next_entry(n, member))

#endif /* _SIM_LINUX_LIST_H */

/**
 * Tasks: a user's to-do list, the thing a to-do chatbot edits through tool calls. A task
 * belongs to its creator and may be filed in a project (then the project's roles decide who
 * reads and changes it: viewers read, editors write) and may point at the conversation it
 * came from (one the caller can see, in the same project as the task). A task outside any
 * project is its owner's alone: nobody else, an admin included, learns that it exists.
 */
package dev.parley.task;

package dev.rollout.cli;

/** How read commands print: for people, or JSON for scripts ({@code --output json}). */
enum OutputFormat {
  text,
  json
}

package dev.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code plans/invalid/} is refused with exactly the problems it expects: the
 * {@code # expect:} lines at its top (or, for JSON, the lines of its {@code .expected} file), each
 * {@code line:column path: message}, in the order the exception lists them.
 */
class InvalidPlansTest {
  static final Path CORPUS = Path.of("src/test/resources/plans/invalid");
  private static final String EXPECT = "# expect: ";

  static List<Path> invalidPlans() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".json"))
          .sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPlans")
  void isRefusedWithExactlyTheExpectedProblems(Path file) throws IOException {
    List<String> expected = expected(file);

    PlanException refused = catchThrowableOfType(() -> Plans.load(file), PlanException.class);

    assertThat(refused).as("%s must be refused", file).isNotNull();
    assertThat(refused.problems()).extracting(InvalidPlansTest::withoutSource)
        .containsExactlyElementsOf(expected);
    assertThat(refused.problems()).extracting(Problem::source).containsOnly(file.toString());
    assertThat(refused.getMessage().lines()).hasSize(expected.size());
  }

  @org.junit.jupiter.api.Test
  void theCorpusHoldsAtLeastFortyInvalidPlansEachExpectingSomething() throws IOException {
    List<Path> plans = invalidPlans();

    assertThat(plans).hasSizeGreaterThanOrEqualTo(40);
    for (Path plan : plans) assertThat(expected(plan)).as("expectations of %s", plan).isNotEmpty();
  }

  private static List<String> expected(Path file) throws IOException {
    if (file.toString().endsWith(".json")) {
      return Files.readAllLines(Path.of(file + ".expected")).stream().filter(l -> !l.isBlank()).toList();
    }
    // Decoded leniently: one file in the corpus is deliberately not UTF-8.
    return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith(EXPECT)).map(l -> l.substring(EXPECT.length())).toList();
  }

  /** {@code 14:13 phases[2].steps[0].percent: 140 is not a percentage (0-100)}. */
  private static String withoutSource(Problem p) {
    return p.line() + ":" + p.column() + " " + (p.path().isEmpty() ? "" : p.path() + ": ") + p.message();
  }
}

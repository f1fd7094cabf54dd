package io.raftswarm.swarm.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.swarm.error.UserError;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StepsRunnerTest {
  private final StringWriter printed = new StringWriter();
  private final StepsRunner runner = new StepsRunner(new Progress(new PrintWriter(printed)), 3,
      "raftswarm provision --inventory x.yml", "raftswarm down --inventory x.yml");

  private static <T> ProvisionStep<T> step(String name, StepOutcome<T> outcome) {
    return new ProvisionStep<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public StepOutcome<T> run(Progress progress) {
        progress.line("working on " + name);
        return outcome;
      }
    };
  }

  @Test
  void steps_pass_their_values_on_and_report_done_or_unchanged() {
    int v = runner.run(step("ParseThing", StepOutcome.unchanged(41, "found 41")));
    String s = runner.run(step("MakeThing", StepOutcome.done("x" + (v + 1), "made it")));
    assertThat(s).isEqualTo("x42");
    assertThat(runner.timings()).extracting(StepTiming::step, StepTiming::result)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ParseThing", "unchanged"),
            org.assertj.core.groups.Tuple.tuple("MakeThing", "done"));
    assertThat(printed.toString()).contains("[1/3] ParseThing ...", "working on ParseThing",
        "= ParseThing: unchanged", "✔ MakeThing: done", "made it");
  }

  @Test
  void a_failing_step_names_itself_its_cause_and_how_to_resume_or_roll_back() {
    runner.run(step("First", StepOutcome.done(1, "ok")));
    ProvisionStep<Void> broken = new ProvisionStep<>() {
      @Override
      public String name() {
        return "InitSwarm";
      }

      @Override
      public StepOutcome<Void> run(Progress progress) {
        throw new UserError("host1: swarm state ERROR");
      }
    };
    assertThatThrownBy(() -> runner.run(broken))
        .isInstanceOf(StepFailedException.class)
        .hasMessageContaining("step 2/3 InitSwarm failed: host1: swarm state ERROR")
        .hasMessageContaining("to resume after fixing it: raftswarm provision --inventory x.yml")
        .hasMessageContaining("to roll back: raftswarm down --inventory x.yml");
    assertThat(runner.timings().get(1).result()).isEqualTo(StepTiming.FAILED);
  }
}

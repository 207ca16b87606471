package dev.rollout.api;

import dev.rollout.client.RecordedAction;
import dev.rollout.workflow.RolloutStatus;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The answer of every action endpoint, as the OpenAPI description shows it: the rollout's status,
 * or, when the action was recorded but that status could not be read right after, a {@link
 * RecordedAction}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ApiResponse(
    responseCode = "200",
    description = "The action was recorded. Normally the rollout's whole status, read right after; when"
        + " that read failed, `recorded: true`, the action's brief (state, phase, step, waitingFor…)"
        + " and `statusUnavailable` (what was waited for, its deadline, why)",
    content = @Content(mediaType = "application/json",
        schema = @Schema(oneOf = {RolloutStatus.class, RecordedAction.class})))
@interface ActionAnswered {}

using Personalize.Catalog;

namespace Personalize.Journeys;

/// <summary>The checks of a journey definition, shared by the JSON loader and the builder.</summary>
internal static class JourneyValidation
{
    /// <summary>Whether a text is an id: 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit.</summary>
    public static bool IsName(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 64 || !char.IsAsciiLetterOrDigit(text[0]))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    public static void Validate(JourneyDefinition journey, CompiledCatalog? catalog, string path, List<JourneyError> errors)
    {
        if (!IsName(journey.Id))
        {
            errors.Add(new JourneyError(path + ".id", JourneyCodes.InvalidId, $"\"{journey.Id}\" is not a journey id; use 1 to 64 letters, digits, '_', '-' or '.'"));
        }

        if (journey.Version < 1)
        {
            errors.Add(new JourneyError(path + ".version", JourneyCodes.InvalidVersion, $"{journey.Version} is not a version; versions start at 1"));
        }

        if (journey.Entry is null)
        {
            errors.Add(new JourneyError(path + ".entry", JourneyCodes.Missing, "is required: { \"trigger\": \"event:renewal_due\" }"));
        }
        else
        {
            if (journey.Entry.Trigger.Kind is not (TriggerKind.Event or TriggerKind.Stage or TriggerKind.Occasion))
            {
                errors.Add(new JourneyError(path + ".entry.trigger", JourneyCodes.InvalidTrigger, $"\"{journey.Entry.Trigger}\" cannot start a journey; use event:TYPE, stage:NAME or occasion:NAME"));
            }

            Condition(journey.Entry.Condition, path + ".entry.when", errors);
        }

        var steps = journey.Steps ?? [];
        if (steps.Count == 0)
        {
            errors.Add(new JourneyError(path + ".steps", JourneyCodes.NoSteps, "a journey needs at least one step"));
        }
        else if (steps.Count > JourneyDefinition.MaxSteps)
        {
            errors.Add(new JourneyError(path + ".steps", JourneyCodes.TooManySteps, $"has {steps.Count} steps; at most {JourneyDefinition.MaxSteps} are allowed (split the journey)"));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var stepPath = $"{path}.steps[{i}]";
            if (step is null)
            {
                errors.Add(new JourneyError(stepPath, JourneyCodes.InvalidStep, "is null; expected a step object"));
                continue;
            }

            if (!IsName(step.Id) || string.Equals(step.Id, JourneyDefinition.End, StringComparison.Ordinal))
            {
                errors.Add(new JourneyError(stepPath + ".id", JourneyCodes.InvalidId, $"\"{step.Id}\" is not a step id; use 1 to 64 letters, digits, '_', '-' or '.' (and not \"end\")"));
            }
            else if (!ids.Add(step.Id))
            {
                errors.Add(new JourneyError(stepPath + ".id", JourneyCodes.Duplicate, $"another step has the id \"{step.Id}\""));
            }
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is { } step)
            {
                Step(step, $"{path}.steps[{i}]", ids, catalog, errors);
            }
        }

        var exits = journey.Exits ?? [];
        if (exits.Count > JourneyDefinition.MaxExits)
        {
            errors.Add(new JourneyError(path + ".exits", JourneyCodes.TooManyExits, $"has {exits.Count} exits; at most {JourneyDefinition.MaxExits} are allowed"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < exits.Count; i++)
        {
            var exit = exits[i];
            var exitPath = $"{path}.exits[{i}]";
            if (exit is null)
            {
                errors.Add(new JourneyError(exitPath, JourneyCodes.InvalidExit, "is null; expected { \"name\": \"renewed\", \"event\": \"renewed\" }"));
                continue;
            }

            if (!IsName(exit.Name))
            {
                errors.Add(new JourneyError(exitPath + ".name", JourneyCodes.InvalidId, $"\"{exit.Name}\" is not an exit name; use 1 to 64 letters, digits, '_', '-' or '.'"));
            }
            else if (!names.Add(exit.Name))
            {
                errors.Add(new JourneyError(exitPath + ".name", JourneyCodes.Duplicate, $"another exit is named \"{exit.Name}\""));
            }

            if (exit.EventType is null && exit.Condition is null)
            {
                errors.Add(new JourneyError(exitPath, JourneyCodes.InvalidExit, "needs an \"event\" (a type that ends the journey) or a \"when\" condition, or both"));
            }

            if (exit.EventType is not null && !IsName(exit.EventType))
            {
                errors.Add(new JourneyError(exitPath + ".event", JourneyCodes.InvalidEventType, $"\"{exit.EventType}\" is not an event type; use 1 to 64 letters, digits, '_', '-' or '.'"));
            }

            Condition(exit.Condition, exitPath + ".when", errors);
        }
    }

    private static void Step(JourneyStep step, string path, HashSet<string> ids, CompiledCatalog? catalog, List<JourneyError> errors)
    {
        switch (step)
        {
            case SendStep send:
                var sendPath = path + ".send";
                if (string.IsNullOrEmpty(send.MessageId))
                {
                    errors.Add(new JourneyError(sendPath, JourneyCodes.Missing, "names no message; write the id of a catalog message"));
                }
                else if (catalog is not null)
                {
                    var message = catalog.All.FirstOrDefault(m => string.Equals(m.Id, send.MessageId, StringComparison.Ordinal));
                    if (message is null)
                    {
                        errors.Add(new JourneyError(sendPath, JourneyCodes.UnknownMessage, $"the catalog has no message \"{send.MessageId}\""));
                    }
                    else if (send.Channel is { } channel && !message.Contents.Any(c => c.Channel == channel))
                    {
                        errors.Add(new JourneyError(path + ".channel", JourneyCodes.InvalidChannel, $"message \"{send.MessageId}\" has no content for channel \"{channel}\"; it has {string.Join(", ", message.Contents.Select(static c => c.Channel.ToString()))}"));
                    }
                }

                if (send.MaxAttempts is < 1 or > 100)
                {
                    errors.Add(new JourneyError(path + ".maxAttempts", JourneyCodes.InvalidPolicy, $"{send.MaxAttempts} is not a number of attempts; use 1 to 100"));
                }

                if (send.RetryAfter <= TimeSpan.Zero || send.RetryAfter > JourneyDefinition.MaxWait)
                {
                    errors.Add(new JourneyError(path + ".retryAfter", JourneyCodes.InvalidDuration, "must be positive and at most 366 days"));
                }

                break;
            case WaitStep wait:
                Duration(wait.Duration, path + ".wait", errors);
                break;
            case WaitUntilStep until:
                if (until.Days is null || until.Days.Any(static d => d is < DayOfWeek.Sunday or > DayOfWeek.Saturday))
                {
                    errors.Add(new JourneyError(path + ".waitUntil.days", JourneyCodes.InvalidWeekday, "holds a value that is not a weekday"));
                }

                break;
            case WaitForEventStep waitFor:
                if (!IsName(waitFor.EventType))
                {
                    errors.Add(new JourneyError(path + ".waitFor.event", JourneyCodes.InvalidEventType, $"\"{waitFor.EventType}\" is not an event type; use 1 to 64 letters, digits, '_', '-' or '.'"));
                }

                Duration(waitFor.Timeout, path + ".waitFor.timeout", errors);
                Target(waitFor.OnEvent, path + ".waitFor.onEvent", ids, errors);
                Target(waitFor.OnTimeout, path + ".waitFor.onTimeout", ids, errors);
                break;
            case JourneyJson.UnreadStep:
                break; // its errors were reported when it was read
            case BranchStep branch:
                if (branch.Condition is null)
                {
                    errors.Add(new JourneyError(path + ".branch.when", JourneyCodes.Missing, "is required: the condition to branch on"));
                }

                Condition(branch.Condition, path + ".branch.when", errors);
                Target(branch.Then, path + ".branch.then", ids, errors);
                Target(branch.Else, path + ".branch.else", ids, errors);
                break;
            default:
                errors.Add(new JourneyError(path, JourneyCodes.InvalidStep, $"is a {step.GetType().Name}; a step is a send, wait, waitUntil, waitFor or branch"));
                break;
        }
    }

    private static void Duration(TimeSpan duration, string path, List<JourneyError> errors)
    {
        if (duration <= TimeSpan.Zero || duration > JourneyDefinition.MaxWait)
        {
            errors.Add(new JourneyError(path, JourneyCodes.InvalidDuration, $"{duration} is not a wait; use a positive duration of at most 366 days, for example 48h or 2d"));
        }
    }

    private static void Target(string? target, string path, HashSet<string> ids, List<JourneyError> errors)
    {
        if (target is not null && !ids.Contains(target) && !string.Equals(target, JourneyDefinition.End, StringComparison.Ordinal))
        {
            errors.Add(new JourneyError(path, JourneyCodes.UnknownTarget, $"\"{target}\" is no step of this journey; name a step's id or \"end\""));
        }
    }

    private static void Condition(ICondition? condition, string path, List<JourneyError> errors)
    {
        if (condition is ExpressionCondition expression)
        {
            foreach (var diagnostic in expression.Diagnostics)
            {
                if (diagnostic.Severity == Templates.TemplateDiagnosticSeverity.Error)
                {
                    errors.Add(new JourneyError(path, JourneyCodes.InvalidCondition, $"{diagnostic.Message} (in \"{expression.Source}\", line {diagnostic.Line}, column {diagnostic.Column})"));
                }
            }
        }
    }
}

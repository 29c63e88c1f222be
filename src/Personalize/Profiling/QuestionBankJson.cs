using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Serialization;

namespace Personalize.Profiling;

/// <summary>
/// Loads a question bank from JSON: <c>{ "askAgainAfter": "30d", "questions": [ … ] }</c>. Reading validates everything
/// and reports <b>every</b> problem with its JSON path, line and column and a code (<see cref="QuestionBankCodes"/>);
/// a file with any error yields no bank. The format is in <c>docs/profiling.md</c>.
/// </summary>
public static class QuestionBankJson
{
    /// <summary>The largest file read (1 MiB).</summary>
    public const int MaxFileBytes = 1 << 20;

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 };
    private static readonly string[] RootMembers = ["askAgainAfter", "questions"];
    private static readonly string[] QuestionMembers = ["id", "text", "fills", "channels", "stages", "priority", "wordingVersion", "options", "translations"];
    private static readonly string[] TranslationMembers = ["text", "labels", "keywords"];
    private static readonly string[] OptionMembers = ["value", "label", "keyword"];

    /// <summary>Reads and validates a bank without throwing.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="bank">The bank when there are no errors.</param>
    /// <param name="errors">Every problem, in file order.</param>
    /// <returns><see langword="true"/> when the file is valid.</returns>
    public static bool TryRead(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out QuestionBank? bank, out IReadOnlyList<QuestionBankError> errors)
    {
        var reader = new Reader();
        var read = reader.File(utf8Json);
        if (read is { } r)
        {
            reader.Errors.AddRange(QuestionBank.Validate(r.Questions, r.AskAgainAfter, "$"));
        }

        errors = Positioned(utf8Json, reader.Errors);
        bank = errors.Count == 0 && read is { } ok ? QuestionBank.Normalized(ok.Questions, ok.AskAgainAfter) : null;
        return bank is not null;
    }

    /// <summary>Reads and validates a bank.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <returns>The bank.</returns>
    /// <exception cref="QuestionBankException">The file has problems; the exception lists every one.</exception>
    public static QuestionBank Read(ReadOnlySpan<byte> utf8Json)
        => TryRead(utf8Json, out var bank, out var errors) ? bank : throw new QuestionBankException(errors);

    // One problem once: a value that does not read (an unknown fills) is also one the validation misses.
    private static List<QuestionBankError> Positioned(ReadOnlySpan<byte> utf8Json, List<QuestionBankError> errors)
        => JsonPositions.InFileOrder(utf8Json, errors.DistinctBy(static e => (e.Path, e.Code)).ToList(), static e => e.Path, static e => e.Line, static (e, at) => e with { Line = at.Line, Column = at.Column });

    /// <summary>One read of one file: what it found and every problem on the way.</summary>
    private sealed class Reader
    {
        public List<QuestionBankError> Errors { get; } = [];

        public (List<Question> Questions, TimeSpan AskAgainAfter)? File(ReadOnlySpan<byte> utf8Json)
        {
            if (utf8Json.Length > MaxFileBytes)
            {
                Errors.Add(new("$", QuestionBankCodes.TooLarge, $"the file has {utf8Json.Length:N0} bytes; at most {MaxFileBytes:N0} are read"));
                return null;
            }

            var document = JsonPositions.TryParse(utf8Json, DocumentOptions, out var syntax, out var where);
            if (document is null)
            {
                Errors.Add(new("$", QuestionBankCodes.InvalidJson, syntax!, where?.Line, where?.Column));
                return null;
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    Errors.Add(new("$", QuestionBankCodes.InvalidJson, "expected an object { \"questions\": [ … ] }"));
                    return null;
                }

                Members(root, "$", RootMembers);
                var askAgainAfter = QuestionBank.DefaultAskAgainAfter;
                if (Text(root, "askAgainAfter", "$") is { } duration && !CatalogJson.TryParseDuration(duration, out askAgainAfter))
                {
                    Errors.Add(new("$.askAgainAfter", QuestionBankCodes.InvalidDuration, $"\"{duration}\" is not a duration; write for example 30d or 8w"));
                    askAgainAfter = QuestionBank.DefaultAskAgainAfter;
                }

                if (!root.TryGetProperty("questions", out var array) || array.ValueKind != JsonValueKind.Array)
                {
                    Errors.Add(new("$.questions", QuestionBankCodes.Missing, "is required: an array of questions"));
                    return null;
                }

                var questions = new List<Question>();
                var index = 0;
                foreach (var item in array.EnumerateArray())
                {
                    if (questions.Count >= QuestionBank.MaxQuestions)
                    {
                        Errors.Add(new("$.questions", QuestionBankCodes.TooMany, $"has more than {QuestionBank.MaxQuestions} questions"));
                        return null;
                    }

                    questions.Add(Question(item, $"$.questions[{index++}]"));
                }

                return (questions, askAgainAfter);
            }
        }

        private Question Question(JsonElement item, string path)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                Errors.Add(new(path, QuestionBankCodes.InvalidJson, "expected a question object"));
                return new Question { Id = string.Empty, Text = "-", Fills = QuestionFill.Frequency, WordingVersion = "-" };
            }

            Members(item, path, QuestionMembers);
            var fillsText = Text(item, "fills", path);
            QuestionFill? fills = null;
            if (fillsText is not null && !QuestionFill.TryParse(fillsText, out fills))
            {
                Errors.Add(new(path + ".fills", QuestionBankCodes.InvalidFill, $"\"{fillsText}\" is not topic:NAME, preferred_channel, frequency, quiet_hours or attribute:NAME"));
            }

            var channels = new List<Channel>();
            foreach (var (value, valuePath) in Items(item, "channels", path))
            {
                if (value.ValueKind == JsonValueKind.String && Channel.TryParse(value.GetString(), out var channel))
                {
                    channels.Add(channel);
                }
                else
                {
                    Errors.Add(new(valuePath, QuestionBankCodes.InvalidChannel, $"{value.GetRawText()} is not a channel name (email, sms, push, in_app, phone, direct_mail or a host channel)"));
                }
            }

            var stages = new List<LifecycleStage>();
            foreach (var (value, valuePath) in Items(item, "stages", path))
            {
                if (value.ValueKind == JsonValueKind.String && Enum.TryParse<LifecycleStage>(value.GetString(), ignoreCase: true, out var stage) && Enum.IsDefined(stage) && !char.IsAsciiDigit(value.GetString()![0]))
                {
                    stages.Add(stage);
                }
                else
                {
                    Errors.Add(new(valuePath, QuestionBankCodes.InvalidStage, $"{value.GetRawText()} is not a stage (exposure, adoption or retention)"));
                }
            }

            var options = new List<QuestionOption>();
            foreach (var (option, optionPath) in Items(item, "options", path))
            {
                if (option.ValueKind != JsonValueKind.Object)
                {
                    Errors.Add(new(optionPath, QuestionBankCodes.InvalidJson, "expected { \"value\": \"yes\", \"label\": \"Yes please\" }"));
                    continue;
                }

                Members(option, optionPath, OptionMembers);
                options.Add(new QuestionOption(Text(option, "value", optionPath) ?? string.Empty, Text(option, "label", optionPath) ?? string.Empty, Text(option, "keyword", optionPath)));
            }

            var priority = 1d;
            if (item.TryGetProperty("priority", out var p) && !(p.ValueKind == JsonValueKind.Number && p.TryGetDouble(out priority)))
            {
                Errors.Add(new(path + ".priority", QuestionBankCodes.InvalidPriority, "expected a positive number"));
                priority = 1;
            }

            return new Question
            {
                Id = Text(item, "id", path) ?? string.Empty,
                Text = Text(item, "text", path) ?? string.Empty,
                Fills = fills!,
                Channels = channels,
                Stages = stages,
                Priority = priority,
                WordingVersion = Text(item, "wordingVersion", path) ?? string.Empty,
                Options = options,
                Translations = Translations(item, path),
            };
        }

        // "translations": { "de": { "text": "…", "labels": { "yes": "Ja, gern" }, "keywords": { "yes": "JA" } } }
        private Dictionary<string, QuestionTranslation> Translations(JsonElement item, string path)
        {
            var translations = new Dictionary<string, QuestionTranslation>(StringComparer.OrdinalIgnoreCase);
            if (!item.TryGetProperty("translations", out var all) || all.ValueKind == JsonValueKind.Null)
            {
                return translations;
            }

            if (all.ValueKind != JsonValueKind.Object)
            {
                Errors.Add(new(path + ".translations", QuestionBankCodes.InvalidJson, "expected an object of languages: { \"de\": { \"text\": \"…\" } }"));
                return translations;
            }

            foreach (var language in all.EnumerateObject())
            {
                var languagePath = $"{path}.translations.{language.Name}";
                if (language.Value.ValueKind != JsonValueKind.Object)
                {
                    Errors.Add(new(languagePath, QuestionBankCodes.InvalidJson, "expected { \"text\": \"…\", \"labels\": { \"yes\": \"…\" } }"));
                    continue;
                }

                Members(language.Value, languagePath, TranslationMembers);
                var labels = ByAnswer(language.Value, "labels", languagePath, "labels", "Ja, gern");
                var keywords = ByAnswer(language.Value, "keywords", languagePath, "SMS reply keywords", "JA");
                if (!translations.TryAdd(language.Name, new QuestionTranslation { Text = Text(language.Value, "text", languagePath) ?? string.Empty, Labels = labels, Keywords = keywords }))
                {
                    Errors.Add(new(languagePath, QuestionBankCodes.Duplicate, "repeats a language given before (language codes compare without case)"));
                }
            }

            return translations;
        }

        // "labels": { "yes": "Ja, gern" }, "keywords": { "yes": "JA" }: texts by answer value.
        private Dictionary<string, string> ByAnswer(JsonElement translation, string name, string languagePath, string what, string example)
        {
            var texts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (translation.TryGetProperty(name, out var member) && member.ValueKind != JsonValueKind.Null)
            {
                if (member.ValueKind != JsonValueKind.Object)
                {
                    Errors.Add(new(languagePath + "." + name, QuestionBankCodes.InvalidJson, $"expected an object of {what} by answer value: {{ \"yes\": \"{example}\" }}"));
                }
                else
                {
                    foreach (var entry in member.EnumerateObject())
                    {
                        texts[entry.Name] = Text(member, entry.Name, languagePath + "." + name) ?? string.Empty;
                    }
                }
            }

            return texts;
        }

        private IEnumerable<(JsonElement Item, string Path)> Items(JsonElement parent, string name, string path)
        {
            if (!parent.TryGetProperty(name, out var array))
            {
                return [];
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                Errors.Add(new($"{path}.{name}", QuestionBankCodes.InvalidJson, "expected an array"));
                return [];
            }

            return array.EnumerateArray().Select((item, i) => (item, $"{path}.{name}[{i}]")).ToList();
        }

        private string? Text(JsonElement parent, string name, string path)
        {
            if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Errors.Add(new($"{path}.{name}", QuestionBankCodes.InvalidJson, $"expected a string, found {value.ValueKind.ToString().ToLowerInvariant()}"));
                return null;
            }

            return value.GetString();
        }

        private void Members(JsonElement element, string path, string[] known)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (Array.IndexOf(known, property.Name) < 0)
                {
                    var near = Array.Find(known, k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
                    Errors.Add(new($"{path}.{property.Name}", QuestionBankCodes.UnknownMember, near is not null ? $"is not a member; did you mean \"{near}\"?" : $"is not a member; expected {string.Join(", ", known)}"));
                }
            }
        }
    }
}

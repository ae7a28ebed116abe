package dev.reverserepl.writer.apply;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.translate.TranslationResult;

/** A sequenced change with its translation, done once per apply call and reused by every retry. */
record PreparedChange(SequencedChange change, TranslationResult translation) {}

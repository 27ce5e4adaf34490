package dev.linkpulse.links;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Fields of the short URL object that another feature owns (smart links, issue 17: password,
 * click limit, conversion tracking): read from create and update bodies, applied once the link is
 * stored, and added to the object the API shows.
 */
public interface ShortUrlExtension {

    /** What to apply to a link once stored. */
    interface Change {
        Change NONE = link -> {};

        void applyTo(ShortUrl link);
    }

    ShortUrlExtension NONE = new ShortUrlExtension() {
        @Override
        public Change parse(JsonNode body, ShortUrl current) {
            return Change.NONE;
        }

        @Override
        public void addFields(ShortUrl link, Map<String, Object> view) {}
    };

    /** The body fields this feature reads: create and update accept them beside their own. */
    default java.util.Set<String> fieldNames() {
        return java.util.Set.of();
    }

    /** Checks the feature's fields of a body before anything is stored (a 400 names the field); current is null on create. */
    Change parse(JsonNode body, ShortUrl current);

    /** Adds the feature's fields to the object shown for {@code link}. */
    void addFields(ShortUrl link, Map<String, Object> view);
}

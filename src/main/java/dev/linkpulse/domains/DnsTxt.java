package dev.linkpulse.domains;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * TXT records through the JDK's DNS provider (JNDI): the system's resolvers by default, or a
 * server given as {@code dns://host:port} (the tests run dnsmasq on a loopback port).
 */
final class DnsTxt {

    /** The lookup failed for a reason other than "no such record" (timeout, server failure). */
    static final class LookupFailed extends Exception {
        LookupFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String providerUrl;

    /** {@code resolver}: empty for the system's resolvers, else {@code dns://host:port}. */
    DnsTxt(String resolver) {
        this.providerUrl = resolver.isEmpty() ? "dns:" : resolver;
    }

    /** The TXT strings of {@code name} (several strings of one record joined, as TXT values are); empty when there are none. */
    List<String> lookup(String name) throws LookupFailed {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, providerUrl);
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext ctx = null;
        try {
            ctx = new InitialDirContext(env);
            Attributes attributes = ctx.getAttributes(name, new String[] {"TXT"});
            Attribute txt = attributes.get("TXT");
            List<String> out = new ArrayList<>();
            if (txt == null) {
                return out;
            }
            NamingEnumeration<?> values = txt.getAll();
            while (values.hasMore()) {
                out.add(unquote(String.valueOf(values.next())));
            }
            return out;
        } catch (NameNotFoundException e) {
            return List.of();
        } catch (NamingException e) {
            throw new LookupFailed("DNS lookup of " + name + " failed: " + e.getClass().getSimpleName(), e);
        } finally {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (NamingException e) {
                    // nothing held
                }
            }
        }
    }

    /** JNDI gives a record of several strings as "a" "b": the value is their concatenation. */
    static String unquote(String raw) {
        String s = raw.strip();
        if (!s.startsWith("\"")) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                in = !in;
            } else if (c == '\\' && in && i + 1 < s.length()) {
                out.append(s.charAt(++i));
            } else if (in) {
                out.append(c);
            }
        }
        return out.toString();
    }
}

package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class LocalAgreementTest {
    @Test
    void wordsTwoDecodesAgreeOnBecomeStableAndStaySo() {
        LocalAgreement a = new LocalAgreement();
        assertArrayEquals(new String[] {"", " And so my"}, a.accept(" And so my"));
        assertArrayEquals(new String[] {" And so", " fellow Americans"}, a.accept(" And so fellow Americans"));
        // a third decode that disagrees with the stable words does not take them back
        assertArrayEquals(new String[] {" And so", " my fellow"}, a.accept(" And sew my fellow"));
        assertArrayEquals(new String[] {" And so", " my fellow Americans, ask"},
                a.accept(" And so my fellow Americans, ask"));
        assertArrayEquals(new String[] {" And so my fellow Americans, ask", " not"},
                a.accept(" And so my fellow Americans, ask not"));
    }

    @Test
    void resetStartsAnUtteranceAfresh() {
        LocalAgreement a = new LocalAgreement();
        a.accept(" one two");
        a.accept(" one two three");
        a.reset();
        assertArrayEquals(new String[] {"", " four"}, a.accept(" four"));
    }
}

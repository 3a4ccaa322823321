package org.rnnlab.math;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered set of named parameters, the unit that optimisers update, gradient checks perturb and
 * files store. Iteration follows the order of {@link #add}.
 */
public final class ParamSet implements Iterable<Param> {
    private final Map<String, Param> params = new LinkedHashMap<>();

    /**
     * Adds a parameter.
     *
     * @param name the parameter name
     * @param value its value
     * @return the new parameter
     * @throws IllegalArgumentException if the name is taken
     */
    public Param add(String name, Matrix value) {
        return add(new Param(name, value));
    }

    /**
     * Adds a parameter.
     * @param p the parameter
     * @return it
     */
    public Param add(Param p) {
        if (params.containsKey(p.name())) {
            throw new IllegalArgumentException("parameter '" + p.name() + "' is already in the set " + names());
        }
        params.put(p.name(), p);
        return p;
    }

    /**
     * Adds every parameter of {@code other}, each name prefixed (e.g. {@code "layer1."}).
     * @param prefix the prefix of every name
     * @param other the parameters to add
     */
    public void addAll(String prefix, ParamSet other) {
        for (Param p : other) {
            add(Param.sharing(prefix + p.name(), p));
        }
    }

    /**
     * @param name the parameter name
     * @return the parameter with this name
     */
    public Param get(String name) {
        Param p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; the set has " + names());
        }
        return p;
    }

    /**
     * @param name the parameter name
     * @return true when a parameter has this name
     */
    public boolean contains(String name) {
        return params.containsKey(name);
    }

    /** @return the names, in order */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(params.keySet()));
    }

    /** @return the number of parameters (tensors) */
    public int size() {
        return params.size();
    }

    /** @return the number of scalar elements over all parameters */
    public long elementCount() {
        long n = 0;
        for (Param p : this) {
            n += p.value().size();
        }
        return n;
    }

    /** Sets every gradient to zero. */
    public void zeroGrad() {
        for (Param p : this) {
            p.zeroGrad();
        }
    }

    /** @return {@code sqrt(Σ_p ‖∂L/∂p‖²)}, the global gradient norm used by clipping */
    public double gradNorm() {
        double s = 0;
        for (Param p : this) {
            double n = Ops.norm(p.grad());
            s += n * n;
        }
        return Math.sqrt(s);
    }

    @Override
    public Iterator<Param> iterator() {
        return Collections.unmodifiableCollection(params.values()).iterator();
    }

    @Override
    public String toString() {
        return params.values().toString();
    }
}
